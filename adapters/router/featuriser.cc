#include "adapters/router/featuriser.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "harness/error.h"
#include "harness/parallel.h"
#include "harness/random.h"

namespace zooter::adapters::router {
namespace {

// The featuriser's buffers keep this many spare bytes past their contents, so that a key can
// read a whole 8-byte word at any byte of a feature.
constexpr std::size_t kSlack = 8;

// The n <= 8 bytes at p as a little-endian integer, read as one 8-byte load (p has 8 readable
// bytes) and masked.
std::uint64_t load_padded(const char* p, std::size_t n) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
  return n >= 8 ? x : x & ((std::uint64_t{1} << (8 * n)) - 1);
}

// feature_key for bytes with kSlack readable bytes after them.
std::uint64_t padded_key(std::uint64_t seed, const char* p, std::size_t n) {
  std::uint64_t h = seed ^ n;
  for (; n > 8; p += 8, n -= 8) {
    h = (h ^ load_padded(p, 8)) * kKeyMultiplier;
    h ^= h >> 32;
  }
  return h ^ load_padded(p, n);
}

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// ASCII tests written out: <cctype> depends on the process locale.
bool is_word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
char lower(unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); }
bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Words are maximal runs of ASCII letters and digits or non-ASCII bytes (so UTF-8 words stay
// whole), lower-cased; every other visible ASCII character is a one-character word of its own,
// because punctuation ('{', '=', '?') says a lot about a query's kind (code, maths, chat).
// Writes through raw pointers into buffers sized for the whole text (the lowered tokens are
// never longer than the text, nor more numerous than its bytes): a push_back per byte was a
// tenth of routing time.
void tokenise(std::string_view text, Featuriser::Scratch& s) {
  // A text has at most one token per byte.
  if (s.lowered.size() < text.size() + kSlack) {
    s.lowered.resize(text.size() + kSlack);
    s.token_end.resize(text.size());
    s.token_kind.resize(text.size());
  }
  char* const begin = s.lowered.data();
  char* out = begin;
  std::uint32_t* token_end = s.token_end.data();
  TokenKind* token_kind = s.token_kind.data();
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p != end) {
    const auto c = static_cast<unsigned char>(*p);
    if (is_space(c) || c < 0x20 || c == 0x7f) {
      ++p;
      continue;
    }
    TokenKind kind = TokenKind::kPunctuation;
    if (is_word_byte(c)) {
      unsigned char seen = 0;  // OR of the word's bytes: bit 7 set means non-ASCII
      for (; p != end && is_word_byte(static_cast<unsigned char>(*p)); ++p) {
        const auto b = static_cast<unsigned char>(*p);
        seen |= b;
        *out++ = lower(b);
      }
      kind = seen < 0x80 ? TokenKind::kAsciiWord : TokenKind::kWord;
    } else {
      *out++ = *p++;
    }
    *token_end++ = static_cast<std::uint32_t>(out - begin);
    *token_kind++ = kind;
  }
  s.tokens = static_cast<std::size_t>(token_end - s.token_end.data());
}

// Writes "<word>" into s.padded (with kSlack spare bytes) and returns its length.
std::size_t pad(const char* word, std::size_t bytes, Featuriser::Scratch& s) {
  const std::size_t padded = bytes + 2;
  if (s.padded.size() < padded + kSlack) s.padded.resize(padded + kSlack);
  s.padded[0] = '<';
  std::copy_n(word, bytes, s.padded.begin() + 1);
  s.padded[padded - 1] = '>';
  return padded;
}

// Writes the buckets of the character n-grams of an ASCII word at `out` (advancing it): every
// n-byte window of "<word>", each key one masked load (n <= kMaxCharNgram = 8 bytes). Gives
// exactly what add_char_ngrams gives (one byte is one code point) without a code-point table;
// almost every word of an English query takes this path.
void add_ascii_char_ngrams(const char* word, std::size_t bytes, std::uint32_t n,
                           std::uint32_t dimension, Featuriser::Scratch& s, std::uint32_t*& out) {
  static_assert(kMaxCharNgram <= 8);
  const std::size_t units = bytes + 2;
  if (units < n) return;
  pad(word, bytes, s);
  const char* const first = s.padded.data();
  for (std::size_t a = 0; a + n <= units; ++a) {
    *out++ = bucket_of(kCharGramSeed ^ n ^ load_padded(first + a, n), dimension);
  }
}

// Writes the buckets of the character n-grams of "<word>" at `out` (advancing it), counted in
// code points: unit 0 is '<', units 1..m the word's code points, unit m + 1 is '>'. The key is
// of the window's bytes.
void add_char_ngrams(const char* word, std::size_t bytes, std::uint32_t n, std::uint32_t dimension,
                     Featuriser::Scratch& s, std::uint32_t*& out) {
  const std::size_t padded = pad(word, bytes, s);
  std::vector<std::uint32_t>& points = s.points;  // offset in s.padded of each unit, then the end
  points.clear();
  for (std::size_t i = 0; i + 1 < padded; ++i) {
    if (!is_continuation(static_cast<unsigned char>(s.padded[i])))
      points.push_back(static_cast<std::uint32_t>(i));
  }
  points.push_back(static_cast<std::uint32_t>(padded - 1));
  points.push_back(static_cast<std::uint32_t>(padded));
  const std::size_t units = points.size() - 1;
  if (units < n) return;
  for (std::size_t a = 0; a + n <= units; ++a) {
    const char* window = s.padded.data() + points[a];
    *out++ = bucket_of(padded_key(kCharGramSeed, window, points[a + n] - points[a]), dimension);
  }
}

// 1 + ln(tf), the sub-linear weight of a bucket seen tf times; tf is small in almost every
// text, so the first values come from a table (filled with the same std::log, so identical).
double sublinear_weight(std::uint32_t tf) {
  static const std::array<double, 32> kTable = [] {
    std::array<double, 32> t{};
    t[1] = 1.0;
    for (std::uint32_t k = 2; k < t.size(); ++k) t[k] = 1.0 + std::log(static_cast<double>(k));
    return t;
  }();
  return tf < kTable.size() ? kTable[tf] : 1.0 + std::log(static_cast<double>(tf));
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

std::uint64_t feature_key(std::uint64_t seed, std::string_view bytes) {
  std::string padded(bytes);
  padded.resize(bytes.size() + kSlack);
  return padded_key(seed, padded.data(), bytes.size());
}

std::uint64_t bigram_key(std::uint64_t first_word_key, std::uint64_t second_word_key) {
  return random::mix64(first_word_key) ^ second_word_key ^ kBigramSeed;
}

std::uint32_t bucket_of(std::uint64_t key, std::uint32_t dimension) {
  return static_cast<std::uint32_t>(((random::mix64(key) >> 32) * dimension) >> 32);
}

Featuriser::Featuriser(FeaturiserConfig config) : config_(config) { validate(config_); }

SparseVector Featuriser::operator()(std::string_view text) const {
  Scratch scratch;
  SparseVector out;
  featurise(text, scratch, out);
  return out;
}

void Featuriser::featurise(std::string_view text, Scratch& s, SparseVector& out) const {
  hash(text, s);
  vectorise(s, out);
}

void Featuriser::hash(std::string_view text, Scratch& s) const {
  tokenise(text, s);
  const std::uint32_t dim = config_.dimension;
  const char* base = s.lowered.data();
  // Every feature's bucket first, then all of them counted: hashing then never waits on the
  // counter's stores (the compiler must assume a char load may read what they wrote), and
  // counting runs as one tight loop. A token gives at most a unigram, a bigram and (bytes + 2)
  // character n-grams.
  const std::size_t tokens = s.tokens;
  const std::size_t most = 4 * tokens + text.size();
  if (s.buckets.size() < most) s.buckets.resize(most);
  std::uint32_t* const buckets = s.buckets.data();
  std::uint32_t* bucket = buckets;
  // Each token's word key is made once, for its unigram and the two bigrams it is part of.
  auto word_key = [&](std::size_t t) {
    const std::uint32_t first = t == 0 ? 0 : s.token_end[t - 1];
    return padded_key(kUnigramSeed, base + first, s.token_end[t] - first);
  };
  std::uint64_t word = tokens == 0 ? 0 : word_key(0);
  for (std::size_t t = 0; t < tokens; ++t) {
    const char* first = base + (t == 0 ? 0 : s.token_end[t - 1]);
    const char* last = base + s.token_end[t];
    const std::uint64_t next = t + 1 < tokens ? word_key(t + 1) : 0;
    if (config_.word_unigrams) *bucket++ = bucket_of(word, dim);
    if (config_.word_bigrams && t + 1 < tokens) *bucket++ = bucket_of(bigram_key(word, next), dim);
    word = next;
    if (config_.char_ngram == 0) continue;
    // Single punctuation characters get no character n-grams: "<?>" would only repeat the word.
    const auto bytes = static_cast<std::size_t>(last - first);
    if (s.token_kind[t] == TokenKind::kAsciiWord) {
      add_ascii_char_ngrams(first, bytes, config_.char_ngram, dim, s, bucket);
    } else if (s.token_kind[t] == TokenKind::kWord) {
      add_char_ngrams(first, bytes, config_.char_ngram, dim, s, bucket);
    }
  }
  s.bucket_count = static_cast<std::size_t>(bucket - buckets);
}

void Featuriser::vectorise(Scratch& s, SparseVector& out) const {
  s.counter.reset(config_.dimension);
  s.counter.add(s.buckets.data(), s.bucket_count);
  // Sized once and written through pointers: a push_back per bucket (a capacity check and two
  // vector updates) cost more than the weights themselves.
  out.index.resize(s.counter.distinct_bound());
  out.value.resize(out.index.size());
  std::uint32_t* index = out.index.data();
  float* value = out.value.data();
  double norm2 = 0.0;
  s.counter.drain([&](std::uint32_t bucket, std::uint32_t tf) {
    const double weight = sublinear_weight(tf);
    *index++ = bucket;
    *value++ = static_cast<float>(weight);
    norm2 += weight * weight;
  });
  const auto size = static_cast<std::size_t>(index - out.index.data());
  out.index.resize(size);
  out.value.resize(size);
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
