#include "harness/stats/frontier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "harness/error.h"

namespace zooter::stats {
namespace {

void check_finite(std::span<const CostQuality> points) {
  for (const CostQuality& p : points)
    ZOOTER_CHECK(std::isfinite(p.cost) && std::isfinite(p.quality));
}

// Positions ordered by cost ascending, quality descending, then position: a full tie-break.
std::vector<std::size_t> cost_order(std::span<const CostQuality> points) {
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (points[a].cost != points[b].cost) return points[a].cost < points[b].cost;
    if (points[a].quality != points[b].quality) return points[a].quality > points[b].quality;
    return a < b;
  });
  return order;
}

// > 0 when o -> a -> b turns left (counter-clockwise).
double cross(const CostQuality& o, const CostQuality& a, const CostQuality& b) {
  return (a.cost - o.cost) * (b.quality - o.quality) - (a.quality - o.quality) * (b.cost - o.cost);
}

}  // namespace

std::vector<std::size_t> pareto_front(std::span<const CostQuality> points) {
  check_finite(points);
  const std::vector<std::size_t> order = cost_order(points);
  std::vector<std::size_t> front;
  // The best quality among strictly cheaper points.
  double best_cheaper = -std::numeric_limits<double>::infinity();
  std::size_t i = 0;
  while (i < order.size()) {
    // Points of one cost: only those with its best quality can be optimal, and only if they
    // beat everything cheaper.
    const double cost = points[order[i]].cost;
    const double top = points[order[i]].quality;
    std::size_t j = i;
    for (; j < order.size() && points[order[j]].cost == cost; ++j) {
      if (points[order[j]].quality == top && top > best_cheaper) front.push_back(order[j]);
    }
    best_cheaper = std::max(best_cheaper, top);
    i = j;
  }
  return front;
}

std::vector<CostQuality> non_decreasing_hull(std::span<const CostQuality> points) {
  ZOOTER_CHECK(!points.empty());
  check_finite(points);
  const std::vector<std::size_t> order = cost_order(points);
  // The best point: highest quality, cheapest among those (the first in cost order).
  std::size_t best = order.front();
  for (std::size_t p : order) {
    if (points[p].quality > points[best].quality) best = p;
  }
  // Upper hull (Andrew's monotone chain) from the cheapest point to the best; a cost seen
  // before only repeats with a lower quality, which cannot be on the upper hull.
  std::vector<CostQuality> hull;
  for (std::size_t p : order) {
    const CostQuality& point = points[p];
    if (point.cost > points[best].cost) break;
    if (!hull.empty() && hull.back().cost == point.cost) continue;
    while (hull.size() >= 2 && cross(hull[hull.size() - 2], hull.back(), point) >= 0.0)
      hull.pop_back();
    hull.push_back(point);
  }
  // Non-decreasing: a costlier point below the best is never worth choosing, so the hull
  // stays at the best quality up to the highest cost.
  const double max_cost = points[order.back()].cost;
  if (max_cost > hull.back().cost) hull.push_back({max_cost, hull.back().quality});
  return hull;
}

double area_under_hull(std::span<const CostQuality> hull, double lo, double hi) {
  ZOOTER_CHECK(!hull.empty() && lo <= hi && lo >= hull.front().cost);
  double area = 0.0;
  for (std::size_t i = 0; i + 1 < hull.size(); ++i) {
    const CostQuality& a = hull[i];
    const CostQuality& b = hull[i + 1];
    const double from = std::max(lo, a.cost);
    const double to = std::min(hi, b.cost);
    if (to <= from) continue;
    auto at = [&](double x) {
      return a.quality + (b.quality - a.quality) * (x - a.cost) / (b.cost - a.cost);
    };
    area += (to - from) * (at(from) + at(to)) / 2.0;
  }
  const CostQuality& last = hull.back();
  if (hi > last.cost) area += (hi - std::max(lo, last.cost)) * last.quality;
  return area;
}

double aiq(std::span<const CostQuality> points, double lo, double hi) {
  const std::vector<CostQuality> hull = non_decreasing_hull(points);
  ZOOTER_CHECK(lo <= hi && lo >= hull.front().cost);
  if (hi == lo) {
    // The hull's quality at lo: the limit of the average over a shrinking range.
    double quality = hull.back().quality;
    for (std::size_t i = 0; i + 1 < hull.size(); ++i) {
      if (lo <= hull[i + 1].cost) {
        const CostQuality& a = hull[i];
        const CostQuality& b = hull[i + 1];
        quality = a.quality + (b.quality - a.quality) * (lo - a.cost) / (b.cost - a.cost);
        break;
      }
    }
    return quality;
  }
  return area_under_hull(hull, lo, hi) / (hi - lo);
}

double aiq(std::span<const CostQuality> points) {
  ZOOTER_CHECK(!points.empty());
  double lo = points.front().cost, hi = points.front().cost;
  for (const CostQuality& p : points) {
    lo = std::min(lo, p.cost);
    hi = std::max(hi, p.cost);
  }
  return aiq(points, lo, hi);
}

std::optional<double> pgr(double quality, double weak, double strong) {
  if (strong == weak) return std::nullopt;
  return (quality - weak) / (strong - weak);
}

std::optional<std::vector<CallQuality>> pgr_curve(std::span<const CallQuality> sweep, double weak,
                                                  double strong) {
  if (strong == weak) return std::nullopt;
  std::vector<CallQuality> curve(sweep.begin(), sweep.end());
  for (const CallQuality& p : curve) {
    ZOOTER_CHECK(p.strong_share >= 0.0 && p.strong_share <= 1.0 && std::isfinite(p.quality));
  }
  std::sort(curve.begin(), curve.end(), [](const CallQuality& a, const CallQuality& b) {
    if (a.strong_share != b.strong_share) return a.strong_share < b.strong_share;
    return a.quality < b.quality;
  });
  // Routing every query to the weak model is the 0% setting, to the strong one the 100%.
  if (curve.empty() || curve.front().strong_share > 0.0) curve.insert(curve.begin(), {0.0, weak});
  if (curve.back().strong_share < 1.0) curve.push_back({1.0, strong});
  for (CallQuality& p : curve) p.quality = (p.quality - weak) / (strong - weak);
  return curve;
}

std::optional<double> apgr(std::span<const CallQuality> sweep, double weak, double strong) {
  const auto curve = pgr_curve(sweep, weak, strong);
  if (!curve) return std::nullopt;
  double area = 0.0;
  for (std::size_t i = 0; i + 1 < curve->size(); ++i) {
    const CallQuality& a = (*curve)[i];
    const CallQuality& b = (*curve)[i + 1];
    area += (b.strong_share - a.strong_share) * (a.quality + b.quality) / 2.0;
  }
  return area;
}

std::optional<double> cpt(std::span<const CallQuality> sweep, double weak, double strong,
                          double target) {
  const auto curve = pgr_curve(sweep, weak, strong);
  if (!curve) return std::nullopt;
  if (curve->front().quality >= target) return curve->front().strong_share;
  for (std::size_t i = 0; i + 1 < curve->size(); ++i) {
    const CallQuality& a = (*curve)[i];
    const CallQuality& b = (*curve)[i + 1];
    if (b.quality >= target) {  // a is below target: the crossing is inside [a, b]
      return a.strong_share +
             (b.strong_share - a.strong_share) * (target - a.quality) / (b.quality - a.quality);
    }
  }
  return std::nullopt;
}

}  // namespace zooter::stats
