// Query text for the paper simulation: lowercase, space-separated words drawn from shared
// filler, from real words of each topic domain and from pseudo-words private to each tag, so
// that a text router can learn a query's domain and tags, though not from any single word.
//
// Not for: deciding which domain or tags a query has (paper_sim_tags.h); this only writes them
// out as text. Every word is a pure function of (seed, query index, position).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "suites/paper_profile.h"

namespace zooter::suites {

// Probabilities of where each word after the opening one comes from (docs/simulation.md).
struct TextStyle {
  double filler = 0.46;     // shared function words and generic request words
  double domain = 0.20;     // real words of the query's domain (sometimes of a tag's domain)
  double tag = 0.16;        // pseudo-words private to one of the query's tags
  double off_topic = 0.18;  // real words of a uniformly drawn domain: noise
  double tag_domain = 0.25; // share of domain words taken from a random tag's domain instead
  // Exam-style queries: share of their filler words taken from the exam words instead, so
  // that a router can see the form of a question ("choose the correct option").
  double exam_filler = 0.9;
};

inline constexpr std::size_t kWordsPerTag = 3;

// A pronounceable pseudo-word of three consonant-vowel(-liquid) syllables. Distinct indices
// below 360^3 give distinct words (a bijective scramble, and the syllables parse uniquely).
[[nodiscard]] std::string pseudo_word(std::uint64_t index);

[[nodiscard]] std::span<const std::string_view> filler_words();
[[nodiscard]] std::span<const std::string_view> opening_words();
[[nodiscard]] std::span<const std::string_view> domain_words(Domain domain);
[[nodiscard]] std::span<const std::string_view> exam_words();

// Tag names and the pseudo-words of every tag; tag t's words are pseudo_word(3t .. 3t+2) and its
// name is "<domain>-<first word>".
class TagVocabulary {
 public:
  explicit TagVocabulary(std::vector<Domain> tag_domain);

  [[nodiscard]] std::size_t size() const { return domain_.size(); }
  [[nodiscard]] Domain domain(std::size_t tag) const { return domain_[tag]; }
  [[nodiscard]] const std::string& name(std::size_t tag) const { return names_[tag]; }
  [[nodiscard]] const std::string& word(std::size_t tag, std::size_t k) const {
    return words_[tag * kWordsPerTag + k];
  }

 private:
  std::vector<Domain> domain_;
  std::vector<std::string> names_;
  std::vector<std::string> words_;
};

// Writes the text of query `query` (a global index, the key of its random draws): `words`
// words, the first an opening word, the rest drawn as TextStyle says (an exam-style query's
// filler partly from the exam words). `tags` must be non-empty.
[[nodiscard]] std::string compose_query_text(const TagVocabulary& vocabulary,
                                             const TextStyle& style, std::uint64_t seed,
                                             std::uint64_t query, Domain domain,
                                             std::span<const std::uint32_t> tags,
                                             std::size_t words, bool exam);

}  // namespace zooter::suites
