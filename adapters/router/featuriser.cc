#include "adapters/router/featuriser.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <string>

#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

// FNV-1a 64 (Fowler, Noll, Vo), fed incrementally so a feature's parts need not be joined
// into one string first.
constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

constexpr std::uint64_t fnv(std::uint64_t h, char c) {
  return (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
}

constexpr std::uint64_t fnv(std::uint64_t h, const char* first, const char* last) {
  for (; first != last; ++first) h = fnv(h, *first);
  return h;
}

// Each kind of feature starts from its own prefix byte, so the word "ab" and the character
// n-gram "ab" land in unrelated buckets.
constexpr std::uint64_t kUnigramSeed = fnv(kFnvOffset, 'u');
constexpr std::uint64_t kBigramSeed = fnv(kFnvOffset, 'b');
constexpr std::uint64_t kCharGramSeed = fnv(kFnvOffset, 'c');
constexpr char kBigramSeparator = '\x1f';

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// ASCII tests written out: <cctype> depends on the process locale.
bool is_word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
char lower(unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); }
bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::uint32_t to_bucket(std::uint64_t h, std::uint32_t dimension) {
  return static_cast<std::uint32_t>(((random::mix64(h) >> 32) * dimension) >> 32);
}

// Words are maximal runs of ASCII letters and digits or non-ASCII bytes (so UTF-8 words stay
// whole), lower-cased; every other visible ASCII character is a one-character word of its own,
// because punctuation ('{', '=', '?') says a lot about a query's kind (code, maths, chat).
void tokenise(std::string_view text, Featuriser::Scratch& s) {
  s.lowered.clear();
  s.token_end.clear();
  s.token_is_word.clear();
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (is_space(c) || c < 0x20 || c == 0x7f) {
      ++i;
      continue;
    }
    const bool word = is_word_byte(c);
    if (word) {
      for (; i < text.size() && is_word_byte(static_cast<unsigned char>(text[i])); ++i) {
        s.lowered.push_back(lower(static_cast<unsigned char>(text[i])));
      }
    } else {
      s.lowered.push_back(text[i++]);
    }
    s.token_end.push_back(static_cast<std::uint32_t>(s.lowered.size()));
    s.token_is_word.push_back(word ? 1 : 0);
  }
}

// Appends the buckets of the character n-grams of "<word>", counted in code points: unit 0 is
// '<', units 1..m the word's code points, unit m + 1 is '>'.
void add_char_ngrams(const char* word, std::size_t bytes, std::uint32_t n, std::uint32_t dimension,
                     Featuriser::Scratch& s) {
  std::vector<std::uint32_t>& points = s.points;  // byte offset of each code point, then the end
  points.clear();
  for (std::size_t i = 0; i < bytes; ++i) {
    if (!is_continuation(static_cast<unsigned char>(word[i])))
      points.push_back(static_cast<std::uint32_t>(i));
  }
  points.push_back(static_cast<std::uint32_t>(bytes));
  const std::size_t m = points.size() - 1, units = m + 2;
  if (units < n) return;
  for (std::size_t a = 0; a + n <= units; ++a) {
    const std::size_t last = a + n - 1;
    std::uint64_t h = kCharGramSeed;
    if (a == 0) h = fnv(h, '<');
    const std::size_t first_point = std::max<std::size_t>(a, 1), last_point = std::min(last, m);
    if (first_point <= last_point) {
      h = fnv(h, word + points[first_point - 1], word + points[last_point]);
    }
    if (last == m + 1) h = fnv(h, '>');
    s.buckets.push_back(to_bucket(h, dimension));
  }
}

// Sorts bucket ids below `bound`: LSD radix sort in as few passes of at most 11 bits as
// `bound` needs (two for the default 2^18), every pass's histogram counted in one sweep. Texts
// give hundreds of features, where this beats comparison sorting several times over.
void sort_buckets(std::vector<std::uint32_t>& v, std::vector<std::uint32_t>& buffer,
                  std::uint32_t bound) {
  if (v.size() < 64) {
    std::sort(v.begin(), v.end());
    return;
  }
  constexpr unsigned kMaxDigitBits = 11, kMaxPasses = 3;  // 3 x 11 bits cover any uint32
  const auto bits = static_cast<unsigned>(std::bit_width(bound - 1));
  if (bits == 0) return;
  const unsigned passes = (bits + kMaxDigitBits - 1) / kMaxDigitBits;
  const unsigned digit = (bits + passes - 1) / passes;
  const std::uint32_t mask = (1u << digit) - 1;
  std::array<std::array<std::uint32_t, (1u << kMaxDigitBits) + 1>, kMaxPasses> start;
  for (unsigned p = 0; p < passes; ++p) std::fill_n(start[p].begin(), mask + 2, 0u);
  for (std::uint32_t x : v) {
    for (unsigned p = 0; p < passes; ++p) ++start[p][((x >> (p * digit)) & mask) + 1];
  }
  buffer.resize(v.size());
  for (unsigned p = 0; p < passes; ++p) {
    auto& s = start[p];
    for (std::size_t d = 1; d <= mask + 1; ++d) s[d] += s[d - 1];
    for (std::uint32_t x : v) buffer[s[(x >> (p * digit)) & mask]++] = x;
    v.swap(buffer);
  }
}

}  // namespace

void validate(const FeaturiserConfig& config) {
  if (config.dimension == 0 || config.dimension > kMaxDimension) {
    throw UsageError("featuriser: dimension must be in 1.." + std::to_string(kMaxDimension) +
                     ", got " + std::to_string(config.dimension));
  }
  if (config.char_ngram > kMaxCharNgram) {
    throw UsageError("featuriser: character n-gram length must be in 0.." +
                     std::to_string(kMaxCharNgram) + ", got " + std::to_string(config.char_ngram));
  }
  if (!config.word_unigrams && !config.word_bigrams && config.char_ngram == 0) {
    throw UsageError("featuriser: every kind of feature is off");
  }
}

void SparseRows::append(SparseView v) {
  index.insert(index.end(), v.index.begin(), v.index.end());
  value.insert(value.end(), v.value.begin(), v.value.end());
  offset.push_back(index.size());
}

std::uint32_t bucket_of(std::string_view bytes, std::uint32_t dimension) {
  return to_bucket(fnv(kFnvOffset, bytes.data(), bytes.data() + bytes.size()), dimension);
}

Featuriser::Featuriser(FeaturiserConfig config) : config_(config) { validate(config_); }

SparseVector Featuriser::operator()(std::string_view text) const {
  Scratch scratch;
  SparseVector out;
  featurise(text, scratch, out);
  return out;
}

void Featuriser::featurise(std::string_view text, Scratch& s, SparseVector& out) const {
  tokenise(text, s);
  const std::uint32_t dim = config_.dimension;
  const char* base = s.lowered.data();
  s.buckets.clear();
  for (std::size_t t = 0; t < s.token_end.size(); ++t) {
    const char* first = base + (t == 0 ? 0 : s.token_end[t - 1]);
    const char* last = base + s.token_end[t];
    if (config_.word_unigrams) s.buckets.push_back(to_bucket(fnv(kUnigramSeed, first, last), dim));
    if (config_.word_bigrams && t + 1 < s.token_end.size()) {
      const std::uint64_t h = fnv(fnv(kBigramSeed, first, last), kBigramSeparator);
      s.buckets.push_back(to_bucket(fnv(h, last, base + s.token_end[t + 1]), dim));
    }
    // Single punctuation characters get no character n-grams: "<?>" would only repeat the word.
    if (config_.char_ngram > 0 && s.token_is_word[t] != 0) {
      add_char_ngrams(first, static_cast<std::size_t>(last - first), config_.char_ngram, dim, s);
    }
  }
  sort_buckets(s.buckets, s.sort_buffer, dim);
  out.index.clear();
  out.value.clear();
  double norm2 = 0.0;
  for (std::size_t i = 0; i < s.buckets.size();) {
    std::size_t j = i + 1;
    while (j < s.buckets.size() && s.buckets[j] == s.buckets[i]) ++j;
    // Sub-linear term frequency; most buckets occur once, which needs no log.
    const double weight = j - i == 1 ? 1.0 : 1.0 + std::log(static_cast<double>(j - i));
    out.index.push_back(s.buckets[i]);
    out.value.push_back(static_cast<float>(weight));
    norm2 += weight * weight;
    i = j;
  }
  if (norm2 > 0.0) {
    const double scale = 1.0 / std::sqrt(norm2);
    for (float& v : out.value) v = static_cast<float>(v * scale);
  }
}

SparseRows Featuriser::rows(std::span<const std::string_view> texts, const RunContext& run) const {
  constexpr std::size_t kTextsPerBlock = 256;
  std::vector<SparseVector> each(texts.size());
  parallel_blocks(
      run, texts.size(),
      [&](std::size_t begin, std::size_t end) {
        Scratch scratch;
        for (std::size_t i = begin; i < end; ++i) featurise(texts[i], scratch, each[i]);
      },
      kTextsPerBlock);
  SparseRows out;
  std::size_t total = 0;
  for (const SparseVector& v : each) total += v.size();
  out.offset.reserve(texts.size() + 1);
  out.index.reserve(total);
  out.value.reserve(total);
  for (const SparseVector& v : each) out.append(view(v));
  return out;
}

}  // namespace zooter::adapters::router
