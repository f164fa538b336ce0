// Turns a query text into a sparse, L2-normalised vector of hashed n-gram features: the
// router's only view of a query (the paper uses mdeberta-v3-base; docs/router.md says why a
// hashed bag of n-grams stands in for it here).
//
// Features: lower-cased word unigrams, word bigrams and character n-grams of each word padded
// with '<' and '>' (fastText's subwords), hashed into `dimension` buckets with a fixed hash
// (a 64-bit key per feature, SplitMix64's mix64, then a multiply-shift range reduction; see
// feature_key and bucket_of) so a router file means the same on every platform. Counts per bucket get sub-linear weight
// 1 + log(tf), then the vector is scaled to unit L2 norm. Not for anything but routing: no
// vocabulary, no stemming, no stop words.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/router/bucket_counter.h"

namespace zooter {
class RunContext;
}

namespace zooter::adapters::router {

struct FeaturiserConfig {
  std::uint32_t dimension = 1u << 18;  // hash buckets
  bool word_unigrams = true;
  bool word_bigrams = true;
  std::uint32_t char_ngram = 3;  // code points per character n-gram; 0 = none

  friend bool operator==(const FeaturiserConfig&, const FeaturiserConfig&) = default;
};

inline constexpr std::uint32_t kMaxCharNgram = 8;
inline constexpr std::uint32_t kMaxDimension = 1u << 26;

// Throws UsageError when a setting is out of range (dimension 1..2^26, char_ngram 0..8, at
// least one kind of feature on).
void validate(const FeaturiserConfig& config);

// One query's features: strictly increasing bucket indices, each with a non-zero value.
struct SparseVector {
  std::vector<std::uint32_t> index;
  std::vector<float> value;

  [[nodiscard]] std::size_t size() const { return index.size(); }
};

// A read-only view of one row of features (of a SparseVector or a SparseRows).
struct SparseView {
  std::span<const std::uint32_t> index;
  std::span<const float> value;

  [[nodiscard]] std::size_t size() const { return index.size(); }
};

[[nodiscard]] inline SparseView view(const SparseVector& v) { return {v.index, v.value}; }

// Many rows of features stored back to back (CSR): row r is [offset[r], offset[r+1]).
struct SparseRows {
  std::vector<std::uint64_t> offset{0};
  std::vector<std::uint32_t> index;
  std::vector<float> value;

  [[nodiscard]] std::size_t rows() const { return offset.size() - 1; }
  [[nodiscard]] SparseView row(std::size_t r) const {
    const std::size_t b = offset[r], e = offset[r + 1];
    return {{index.data() + b, e - b}, {value.data() + b, e - b}};
  }
  void append(SparseView v);
};

// The feature hash, named "chunk64-mix64-mulshift" in router files (docs/router-file.md).
// A feature's key is made from its bytes read as little-endian 64-bit integers (a word or an
// n-gram is usually one), and each kind of feature has its own seed, whose top byte names the
// kind: keys of different kinds differ for features under 8 bytes, and keys of one kind are
// distinct for distinct features of 1 to 7 bytes (tokens hold no NUL bytes).
//   feature_key(seed, b[0..n)):  h = seed ^ n; while more than 8 bytes remain:
//     h = (h ^ next 8 bytes) x kKeyMultiplier;  h ^= h >> 32;
//   then h ^ the last 1..8 bytes (zero-extended).
// Unigram: feature_key(kUnigramSeed, word). Bigram: bigram_key of its words' unigram keys.
// Character n-gram: feature_key(kCharGramSeed, the n code points' bytes of "<word>").
// It replaced FNV-1a, whose multiply per byte was a sixth of routing time.
inline constexpr std::uint64_t kUnigramSeed = 0x75a3'c1f0'6d2e'9b47ULL;   // top byte 'u'
inline constexpr std::uint64_t kBigramSeed = 0x62f1'4c8b'09d7'3e65ULL;    // 'b'
inline constexpr std::uint64_t kCharGramSeed = 0x635e'92a7'b4c0'18fdULL;  // 'c'
inline constexpr std::uint64_t kKeyMultiplier = 0x9fb2'1c65'1e98'df25ULL;  // odd

[[nodiscard]] std::uint64_t feature_key(std::uint64_t seed, std::string_view bytes);
// mix64(first) ^ second ^ kBigramSeed: order matters, and mix64 keeps it from cancelling.
[[nodiscard]] std::uint64_t bigram_key(std::uint64_t first_word_key, std::uint64_t second_word_key);
// The bucket of a key: ((mix64(key) >> 32) x dimension) >> 32. mix64 spreads keys that differ
// in a few bits (short features); the multiply-shift maps the top 32 bits onto [0, dimension)
// without a division.
[[nodiscard]] std::uint32_t bucket_of(std::uint64_t key, std::uint32_t dimension);

// What a token is: punctuation gets no character n-grams, and an all-ASCII word takes a fast
// path through them (one byte per code point).
enum class TokenKind : std::uint8_t { kPunctuation, kAsciiWord, kWord };

class Featuriser {
 public:
  // Buffers of one featurisation, reused from text to text by one worker (fastText's
  // Model::State): featurising then allocates nothing once they have grown.
  struct Scratch {
    std::string lowered;                   // the text's tokens, lower-cased, back to back
    std::size_t tokens = 0;                // of the current text
    std::vector<std::uint32_t> token_end;  // token t is lowered[token_end[t-1], token_end[t])
    std::vector<TokenKind> token_kind;     // (both sized for the longest text so far)
    std::string padded;                 // "<word>" of the current word, then spare bytes
    std::vector<std::uint32_t> points;  // code point offsets in `padded` of a non-ASCII word
    std::vector<std::uint32_t> buckets;  // every feature's bucket, in the order found
    std::size_t bucket_count = 0;        // of the current text, in `buckets`

    // The current text's feature buckets (repeats included, unsorted), after hash().
    [[nodiscard]] std::span<const std::uint32_t> hashed() const { return {buckets.data(), bucket_count}; }
    BucketCounter counter;  // the text's feature buckets
  };

  // Throws UsageError on an invalid config (see validate).
  explicit Featuriser(FeaturiserConfig config = {});

  [[nodiscard]] const FeaturiserConfig& config() const { return config_; }

  // Empty text (or text without any feature) gives an empty vector.
  [[nodiscard]] SparseVector operator()(std::string_view text) const;
  // The same into `out`, using (and growing) `scratch`. Equals hash() then vectorise().
  void featurise(std::string_view text, Scratch& scratch, SparseVector& out) const;
  // featurise() in two steps, for callers that want the buckets early (the router prefetches
  // its weight rows while the vector is built): hash() tokenises and hashes the text into
  // scratch.hashed(); vectorise() counts, sorts and weighs them into `out`.
  void hash(std::string_view text, Scratch& scratch) const;
  void vectorise(Scratch& scratch, SparseVector& out) const;

  // Featurises texts[i] for every i, in parallel; row i of the result is texts[i].
  [[nodiscard]] SparseRows rows(std::span<const std::string_view> texts,
                                const RunContext& run) const;

 private:
  FeaturiserConfig config_;
};

}  // namespace zooter::adapters::router
