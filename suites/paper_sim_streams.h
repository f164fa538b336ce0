// Random streams of the paper simulation. Every draw is random::*(seed, stream, index) with one
// of these streams, so that no two purposes ever share numbers; the index is a query, a cell
// (query * models + model), a tag or a position, as each use documents.
#pragma once

#include <cstdint>

namespace zooter::suites {

enum class SimStream : std::uint64_t {
  kDomainOrder = 0x5a01,  // training queries: permutation of each source's domain slots
  kCoverageOrder,         // training queries: which queries carry each domain's tags first
  kDomainDraw,            // test queries: domain drawn from the subset's mixture
  kTagDraw,               // tag popularity draws
  kTagCount,              // how many extra tags a query carries
  kTagExtraDomain,        // whether an extra tag comes from another domain, and which
  kWordCount,             // words per query
  kTextCategory,          // where each word comes from
  kTextWord,              // which word
  kInputTokens,           // jitter of the prompt token count
  kDifficulty,            // d_q: difficulty shared by all candidates on a query
  kIdiosyncratic,         // e_qm: one candidate's luck on one query
  kTagExpertise,          // A_tm: a candidate's expertise on a tag
  kQueryLength,           // a query's answer-length factor, shared by candidates
  kResponseLength,        // one response's own length factor
  kTurnNoise,             // MT-Bench per-turn judge noise
  kRewardNoise,           // reward noise; the reward model index is added to this stream
  kRewardTagError,        // a reward model's systematic error on a (tag, candidate); likewise
  // Added later: explicit values keep the streams above, and so every earlier draw, unchanged.
  kExamStyle = 0x5a40,    // whether a query is exam-style
};

[[nodiscard]] constexpr std::uint64_t stream(SimStream s, std::uint64_t offset = 0) {
  return static_cast<std::uint64_t>(s) + offset * 0x100;
}

}  // namespace zooter::suites
