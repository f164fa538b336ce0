// zooter: the Zooter router (Lu et al. 2023, §3.2). A small network reads the query text and
// sends it to one candidate, which alone generates: one router call, one generation.
//
//   zooter@beta=0.3,reward=qwen-rm[,hard-label=1][,epochs=..][,lr=..][,dim=..][,hidden=..]
//         [,temperature=..][,normalise=..][,tags=cluster:K][,folds=5][,seed=..]
//   zooter@file=ROUTER
//
// Either form takes lambda=X for cost-aware routing: argmax of p_c - X x relative cost of c
// (candidate_costs.h); the frontier sweep re-decides at many lambdas without retraining.
//
// The first form trains inside the run: on the train split when the bundle has one, otherwise
// by k-fold cross-fitting on the evaluated queries (each query routed by a router that never
// saw it). The second loads a router saved by `zooter train`. docs/router.md has the method
// and every option.
#include <fmt/format.h>

#include <charconv>

#include "adapters/adapter_factories.h"
#include "adapters/candidate_costs.h"
#include "adapters/router/kfold.h"
#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/parallel.h"

namespace zooter::adapters {
namespace {

using router::Router;
using router::RouterOptions;

constexpr std::uint32_t kDefaultFolds = 5;
const std::vector<std::string> kTrainingKeys = {
    "beta",   "reward",      "hard-label", "epochs",     "lr",       "dim",
    "hidden", "temperature", "normalise",  "tags",       "folds",    "seed",
    "batch",  "l2",          "optimiser",  "validation", "patience", "char-ngram",
    "lambda"};

RouterOptions options_from(const AdapterSpec& spec, std::uint64_t default_seed) {
  RouterOptions o;
  o.reward = spec.get("reward").value_or("");
  o.labels.beta = number_argument(spec, "beta", o.labels.beta);
  o.labels.hard_label = flag_argument(spec, "hard-label");
  o.labels.temperature = number_argument(spec, "temperature", o.labels.temperature);
  if (auto n = spec.get("normalise")) o.labels.normalisation = router::parse_normalisation(*n);
  if (auto t = spec.get("tags")) router::parse_tags(*t, o.labels);
  o.featuriser.dimension = static_cast<std::uint32_t>(
      integer_argument(spec, "dim", o.featuriser.dimension, 1, router::kMaxDimension));
  o.featuriser.char_ngram = static_cast<std::uint32_t>(
      integer_argument(spec, "char-ngram", o.featuriser.char_ngram, 0, router::kMaxCharNgram));
  o.hidden = static_cast<std::uint32_t>(integer_argument(spec, "hidden", 0, 0, router::kMaxHidden));
  router::TrainerConfig& t = o.trainer;
  t.epochs = static_cast<std::uint32_t>(integer_argument(spec, "epochs", t.epochs, 1, 10000));
  t.batch_size =
      static_cast<std::uint32_t>(integer_argument(spec, "batch", t.batch_size, 1, 65536));
  t.patience = static_cast<std::uint32_t>(integer_argument(spec, "patience", t.patience, 0, 10000));
  t.seed = integer_argument(spec, "seed", default_seed, 0, ~std::uint64_t{0});
  t.validation_fraction = number_argument(spec, "validation", t.validation_fraction);
  t.optimiser.learning_rate = number_argument(spec, "lr", t.optimiser.learning_rate);
  t.optimiser.l2 = number_argument(spec, "l2", t.optimiser.l2);
  if (auto name = spec.get("optimiser")) t.optimiser.kind = router::parse_optimiser(*name);
  router::validate(o);
  return o;
}

class ZooterRouter final : public Adapter {
 public:
  // routers[f] routes the queries q with fold_of[q] == f (fold_of empty: routers[0] routes all);
  // candidate_of maps a router output to the bundle's candidate index.
  // output_cost[c] is the relative cost of the candidate router output c routes to.
  ZooterRouter(const Bundle& bundle, std::string name, std::vector<Router> routers,
               std::vector<std::int16_t> fold_of, std::vector<std::size_t> candidate_of,
               std::vector<std::string> notes, double mean_nonzeros,
               std::vector<double> output_cost, double lambda)
      : bundle_(bundle),
        name_(std::move(name)),
        routers_(std::move(routers)),
        fold_of_(std::move(fold_of)),
        candidate_of_(std::move(candidate_of)),
        notes_(std::move(notes)),
        mean_nonzeros_(mean_nonzeros),
        output_cost_(std::move(output_cost)),
        lambda_(lambda) {}

  std::string name() const override { return name_; }
  std::string kind() const override { return "router"; }
  std::vector<std::string> notes() const override { return notes_; }
  double router_parameters() const override {
    return static_cast<double>(routers_.front().model().parameter_count());
  }
  double router_flops_per_query() const override {
    return routers_.front().model().flops_per_query(mean_nonzeros_);
  }

  // Blocks of queries share one routing scratch, so routing allocates nothing per query.
  std::vector<Decision> decide(std::span<const std::uint32_t> queries,
                               const RunContext& run) const override {
    return decide_at_lambda(queries, lambda_, run);
  }

  bool cost_aware() const override { return true; }

  // The router's distribution, what decide_at_lambda() trades against cost (float
  // probabilities, exact as doubles), so its decisions written out sweep the same. Only when
  // the router's outputs are the bundle's candidates in manifest order (always for a router
  // trained in the run); a router file over fewer or reordered outputs gives none.
  std::vector<double> quality_estimates(std::span<const std::uint32_t> queries,
                                        const RunContext& run) const override {
    const std::size_t models = bundle_.model_count();
    if (candidate_of_.size() != models) return {};
    for (std::size_t c = 0; c < models; ++c) {
      if (candidate_of_[c] != c) return {};
    }
    std::vector<double> out(queries.size() * models);
    parallel_blocks(run, queries.size(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const std::vector<double> p = routers_[router_of(queries[i])].probabilities(bundle_.queries.text[queries[i]]);
        std::copy(p.begin(), p.end(), out.begin() + static_cast<std::ptrdiff_t>(i * models));
      }
    });
    return out;
  }

  std::vector<Decision> decide_at_lambda(std::span<const std::uint32_t> queries, double lambda,
                                         const RunContext& run) const override {
    std::vector<Decision> out(queries.size());
    parallel_blocks(run, queries.size(), [&](std::size_t begin, std::size_t end) {
      Router::State state;
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint32_t q = queries[i];
        const std::size_t routed =
            routers_[router_of(q)].route(bundle_.queries.text[q], output_cost_, lambda, state);
        out[i] = Decision::single(static_cast<int>(candidate_of_[routed]));
        out[i].router_calls = 1;
      }
    });
    return out;
  }

 private:
  // The router that decides query q: the one trained without q's fold under k-fold.
  std::size_t router_of(std::uint32_t q) const {
    if (fold_of_.empty()) return 0;
    ZOOTER_CHECK(q < fold_of_.size() && fold_of_[q] >= 0);  // only evaluated queries
    return static_cast<std::size_t>(fold_of_[q]);
  }

  const Bundle& bundle_;
  std::string name_;
  std::vector<Router> routers_;
  std::vector<std::int16_t> fold_of_;
  std::vector<std::size_t> candidate_of_;
  std::vector<std::string> notes_;
  double mean_nonzeros_;
  std::vector<double> output_cost_;
  double lambda_;
};

// The relative cost of each router output, estimated on the queries whose responses the
// adapter may look at (the train split, or the cross-fitted evaluated queries), and a note.
std::vector<double> output_costs(const AdapterContext& context,
                                 std::span<const std::size_t> candidate_of, double lambda,
                                 std::vector<std::string>& notes) {
  const std::span<const std::uint32_t> known = context.train.empty() ? context.evaluated : context.train;
  const CandidateCosts costs = estimate_candidate_costs(context.bundle, known);
  std::vector<double> out;
  for (const std::size_t m : candidate_of) out.push_back(costs.relative[m]);
  if (lambda > 0.0) {
    std::string list;
    for (std::size_t m = 0; m < costs.relative.size(); ++m) {
      list += fmt::format("{}{} {:.3f}", list.empty() ? "" : ", ",
                          context.bundle.manifest.models[m].name, costs.relative[m]);
    }
    notes.push_back(fmt::format(
        "zooter: cost-aware routing with lambda {:g}: argmax of p - lambda x relative cost, "
        "costs = mean {} per query on the {} queries, relative to the most expensive ({})",
        lambda, costs.unit, context.train.empty() ? "evaluated" : "training", list));
  }
  return out;
}

// Mean number of features of the evaluated queries: the router's FLOPs depend on it.
double mean_nonzeros(const Router& r, const AdapterContext& context) {
  if (context.evaluated.empty()) return r.info().mean_nonzeros;
  // Counts are integers, so the total is exact whatever the block order; one scratch per
  // block keeps the featuriser's buffers from being rebuilt for every query.
  std::vector<std::size_t> features(context.evaluated.size());
  parallel_blocks(context.run, context.evaluated.size(), [&](std::size_t begin, std::size_t end) {
    router::Featuriser::Scratch scratch;
    router::SparseVector x;
    for (std::size_t i = begin; i < end; ++i) {
      r.featuriser().featurise(context.bundle.queries.text[context.evaluated[i]], scratch, x);
      features[i] = x.size();
    }
  });
  std::size_t total = 0;
  for (const std::size_t f : features) total += f;
  return static_cast<double>(total) / static_cast<double>(context.evaluated.size());
}

std::string training_note(const Router& r) {
  const router::TrainingSummary& s = r.info().summary;
  std::string note = fmt::format("{} epochs run", s.epochs_run);
  if (s.validation_examples > 0) {
    note += fmt::format(", kept epoch {} (validation KL {:.4f} on {} held-out queries{})",
                        s.best_epoch, s.validation_loss, s.validation_examples,
                        s.stopped_early ? ", stopped early" : "");
  }
  return note;
}

std::vector<std::string> tag_notes(const Router& r) {
  const router::RouterInfo& info = r.info();
  if (info.options.labels.beta <= 0.0 || info.options.labels.tags == router::TagSource::kNone) {
    return {};
  }
  if (info.tag_count == 0) {
    return {
        "zooter: the training queries carry no tags, so tag-based label enhancement is off "
        "(beta has no effect); tags=cluster:K derives tags from query clusters"};
  }
  return {fmt::format("zooter: tag enhancement over {} tags ({}) on {} of {} training queries",
                      info.tag_count, router::tags_name(info.options.labels), info.tagged_queries,
                      info.summary.training_examples + info.summary.validation_examples)};
}

std::unique_ptr<Adapter> load_from_file(const AdapterSpec& spec, const AdapterContext& context) {
  for (const auto& [key, value] : spec.arguments) {
    if (key != "file" && key != "lambda") {
      throw UsageError("adapter \"zooter\": file=ROUTER takes no argument but lambda (the router "
                       "file fixes how it was trained), got \"" + key + "\"");
    }
  }
  const std::string path = *spec.get("file");
  Router r = router::load_router(path);
  const Bundle& bundle = context.bundle;
  std::vector<std::size_t> candidate_of;
  for (const std::string& c : r.candidates()) {
    const auto m = bundle.manifest.find_model(c);
    if (!m)
      throw InputError(path, 0, "router candidate \"" + c + "\" is not a candidate of the bundle");
    candidate_of.push_back(*m);
  }
  if (candidate_of.size() != bundle.model_count()) {
    throw InputError(path, 0,
                     fmt::format("the router routes to {} candidates, the bundle has {}",
                                 candidate_of.size(), bundle.model_count()));
  }
  const router::RouterInfo& info = r.info();
  std::vector<std::string> notes = {
      fmt::format("zooter: router loaded from {} (suite {}, trained on {}; {})", path, info.suite,
                  info.trained_on, router::describe(info.options))};
  if (info.bundle_hash == bundle.content_hash &&
      info.trained_on.starts_with("split " + context.evaluated_split + " ")) {
    notes.push_back("zooter: WARNING: this router was trained on the evaluated split itself");
  }
  const double nonzeros = mean_nonzeros(r, context);
  const double lambda = lambda_argument(spec);
  std::vector<double> cost = output_costs(context, candidate_of, lambda, notes);
  std::vector<Router> routers;
  routers.push_back(std::move(r));
  return std::make_unique<ZooterRouter>(bundle, spec.canonical(), std::move(routers),
                                        std::vector<std::int16_t>{}, std::move(candidate_of),
                                        std::move(notes), nonzeros, std::move(cost), lambda);
}

}  // namespace

std::unique_ptr<Adapter> make_zooter_router(const AdapterSpec& spec,
                                            const AdapterContext& context) {
  std::vector<std::string> known = kTrainingKeys;
  known.push_back("file");
  spec.allow_only(known);
  if (spec.get("file")) return load_from_file(spec, context);
  const double lambda = lambda_argument(spec);  // checked before the (long) training
  const RouterOptions options = options_from(spec, context.run.seed());
  const Bundle& bundle = context.bundle;
  std::vector<std::size_t> identity(bundle.model_count());
  for (std::size_t m = 0; m < identity.size(); ++m) identity[m] = m;
  std::vector<Router> routers;
  std::vector<std::int16_t> fold_of;
  std::vector<std::string> notes;
  if (!context.train.empty()) {
    if (spec.get("folds")) {
      throw UsageError("adapter \"zooter\": folds= applies only to bundles without a train split");
    }
    const router::TrainingData data{
        bundle, context.train, context.train_gold_usable,
        fmt::format("split {} ({} queries)", context.train_split, context.train.size())};
    routers.push_back(router::train_router(data, options, context.run));
    notes.push_back(fmt::format("zooter: trained on the \"{}\" split ({} queries; {})",
                                context.train_split, context.train.size(),
                                router::describe(routers.front().info().options)));
  } else {
    // No train split: cross-fit on the evaluated queries. Their gold may be learned from
    // only when the evaluated split allows it.
    const auto split = bundle.manifest.find_split(context.evaluated_split);
    const bool gold_usable = split && bundle.manifest.splits[*split].gold_for_training;
    const auto k = static_cast<std::uint32_t>(
        integer_argument(spec, "folds", kDefaultFolds, 2, router::kMaxFolds));
    const router::FoldPlan plan(context.evaluated, bundle.queries.subset, k, options.trainer.seed);
    fold_of.assign(bundle.query_count(), -1);
    for (std::size_t i = 0; i < context.evaluated.size(); ++i) {
      fold_of[context.evaluated[i]] = static_cast<std::int16_t>(plan.fold_at(i));
    }
    for (std::uint32_t f = 0; f < k; ++f) {
      const std::vector<std::uint32_t> train = plan.training(f);
      const router::TrainingData data{bundle, train, gold_usable,
                                      fmt::format("split {} folds except {}/{} ({} queries)",
                                                  context.evaluated_split, f + 1, k, train.size())};
      routers.push_back(router::train_router(data, options, context.run));
    }
    notes.push_back(fmt::format(
        "zooter: no train split, so {}-fold cross-fitting on the evaluated \"{}\" queries "
        "(folds stratified by subset; each query routed by a router that never saw it; {})",
        k, context.evaluated_split, router::describe(routers.front().info().options)));
  }
  notes.push_back("zooter: " + training_note(routers.front()) +
                  (routers.size() > 1 ? " (first fold)" : ""));
  for (std::string& n : tag_notes(routers.front())) notes.push_back(std::move(n));
  const double nonzeros = mean_nonzeros(routers.front(), context);
  std::vector<double> cost = output_costs(context, identity, lambda, notes);
  return std::make_unique<ZooterRouter>(bundle, spec.canonical(), std::move(routers),
                                        std::move(fold_of), std::move(identity), std::move(notes),
                                        nonzeros, std::move(cost), lambda);
}

}  // namespace zooter::adapters
