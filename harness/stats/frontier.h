// The cost-quality frontier of a set of adapters (or of one router swept over its cost knob):
// the Pareto-optimal points, RouterBench's non-decreasing convex hull and its AIQ, and, for a
// strong/weak model pair, RouteLLM's PGR, APGR and CPT. Pure functions over point lists; which
// cost (FLOPs, dollars, strong-call share) and which quality to plot is the caller's choice.
//
// Not for: producing the sweep (the caller runs the router at each setting). Definitions and
// citations: docs/statistics.md, section "Cost-quality frontier".
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace zooter::stats {

struct CostQuality {
  double cost = 0.0;
  double quality = 0.0;  // higher is better (negate a lower-is-better quality first)
};

// Positions of the Pareto-optimal points (no other point has cost <= and quality >= with one
// of them strict), ordered by cost, then by position. Points with identical cost and quality
// do not dominate each other: all are kept. Values must be finite.
[[nodiscard]] std::vector<std::size_t> pareto_front(std::span<const CostQuality> points);

// Vertices of the non-decreasing convex hull (RouterBench, Hu et al. 2024, section 3): the
// upper concave envelope of the points from the cheapest (best quality among the cheapest)
// to the best (cheapest among the best), then flat at the best quality up to the highest
// cost of any point. Increasing cost; one vertex when all points share a cost. Non-empty,
// finite points.
[[nodiscard]] std::vector<CostQuality> non_decreasing_hull(std::span<const CostQuality> points);

// The area under a hull (as returned above, linear between vertices, flat after the last)
// between costs lo <= hi, with lo >= the first vertex's cost.
[[nodiscard]] double area_under_hull(std::span<const CostQuality> hull, double lo, double hi);

// RouterBench's Average Improvement in Quality: the area under the non-decreasing convex hull
// over [lo, hi], divided by hi - lo (the hull's quality at lo when lo == hi). The first
// overload uses the points' own cost range. lo must not be below the cheapest point's cost.
[[nodiscard]] double aiq(std::span<const CostQuality> points);
[[nodiscard]] double aiq(std::span<const CostQuality> points, double lo, double hi);

// One setting of a router between a strong and a weak model: its share of calls to the strong
// model (0..1) and its quality.
struct CallQuality {
  double strong_share = 0.0;
  double quality = 0.0;
};

// RouteLLM (Ong et al. 2024) performance gap recovered: (quality - weak) / (strong - weak).
// Empty when strong == weak (no gap to recover).
[[nodiscard]] std::optional<double> pgr(double quality, double weak, double strong);

// The PGR curve of a sweep: points sorted by strong share (then quality), anchored at
// (0, PGR 0) and (1, PGR 1) when the sweep has no point at share 0 or 1, linear in between.
// Shares must be inside [0, 1]. Empty when strong == weak.
[[nodiscard]] std::optional<std::vector<CallQuality>> pgr_curve(std::span<const CallQuality> sweep,
                                                                double weak, double strong);

// APGR: the area under the PGR curve over strong-call share 0..1 (RouteLLM's integral,
// computed exactly for the linear interpolation). Empty when strong == weak.
[[nodiscard]] std::optional<double> apgr(std::span<const CallQuality> sweep, double weak,
                                         double strong);

// CPT(target): the smallest strong-call share at which the PGR curve reaches `target` (0.5 for
// CPT(50%)), interpolated linearly. Empty when the curve never reaches it or strong == weak.
[[nodiscard]] std::optional<double> cpt(std::span<const CallQuality> sweep, double weak,
                                        double strong, double target);

}  // namespace zooter::stats
