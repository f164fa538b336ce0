#include "suites/query_text.h"

#include <iterator>
#include <utility>

#include "harness/error.h"
#include "harness/random.h"
#include "suites/paper_sim_streams.h"

namespace zooter::suites {
namespace {

using Words = std::span<const std::string_view>;

constexpr std::string_view kOpening[] = {
    "how", "what", "why", "write", "explain", "describe", "can", "please", "give", "list",
    "tell", "create", "suggest", "compare", "summarize", "help", "is", "i", "could", "find"};

constexpr std::string_view kFiller[] = {
    "the", "a", "an", "of", "to", "and", "in", "for", "is", "are", "it", "this", "that", "with",
    "on", "from", "by", "as", "be", "about", "me", "my", "you", "your", "we", "our", "some",
    "any", "more", "most", "what", "which", "when", "where", "how", "why", "do", "does", "can",
    "should", "would", "could", "please", "explain", "describe", "give", "show", "make", "use",
    "using", "example", "examples", "detail", "short", "simple", "best", "way", "ways", "steps",
    "need", "want", "help", "good", "new", "also", "between", "difference", "each", "other",
    "than", "like", "know", "think", "important", "main", "common", "different", "following"};

// The form of an exam question: options, one correct answer, tests to pass.
constexpr std::string_view kExam[] = {
    "answer", "choose", "right", "option", "options", "choices", "question", "select",
    "marks", "final", "exactly", "only", "assert", "tests", "pass", "given", "quiz", "exam",
    "multiple", "choice", "boxed", "numeric", "grade", "solution"};

constexpr std::string_view kCoding[] = {
    "python", "function", "code", "array", "loop", "variable", "compile", "debug", "string",
    "class", "method", "recursion", "algorithm", "integer", "return", "javascript", "api",
    "sql", "bug", "syntax", "script", "library", "regex", "parse", "sort", "pointer", "thread",
    "refactor", "git", "compiler", "runtime", "exception", "dictionary", "iterate", "coding",
    "program", "implement", "def", "input", "output"};
constexpr std::string_view kMath[] = {
    "equation", "solve", "integral", "derivative", "probability", "triangle", "prime",
    "fraction", "percent", "sum", "matrix", "vector", "polynomial", "geometry", "algebra",
    "theorem", "proof", "calculate", "number", "ratio", "angle", "area", "circle", "root",
    "factor", "digits", "average", "remainder", "divide", "multiply", "math", "dollars",
    "total", "how", "many", "each", "cost", "minutes", "apples", "price"};
constexpr std::string_view kReasoning[] = {
    "puzzle", "logic", "deduce", "infer", "riddle", "sequence", "pattern", "clue", "assume",
    "conclude", "statement", "true", "false", "argument", "premise", "valid", "contradiction",
    "scenario", "order", "taller", "older", "sibling", "reasoning", "therefore", "if", "then",
    "implies", "consistent", "possible", "cannot"};
constexpr std::string_view kWriting[] = {
    "essay", "story", "poem", "blog", "post", "email", "letter", "draft", "paragraph",
    "outline", "title", "persuasive", "narrative", "tone", "slogan", "headline", "speech",
    "rewrite", "edit", "creative", "plot", "verse", "introduction", "conclusion", "writing",
    "audience", "catchy", "words", "style", "formal"};
constexpr std::string_view kRoleplay[] = {
    "pretend", "imagine", "role", "act", "character", "persona", "scene", "dialogue", "pirate",
    "detective", "wizard", "knight", "interview", "customer", "tavern", "stage", "improvise",
    "voice", "roleplay", "you", "are", "sherlock", "villain", "hero", "conversation",
    "stay", "respond", "adventure", "quest", "dragon"};
constexpr std::string_view kExtraction[] = {
    "extract", "table", "json", "summarize", "summary", "bullet", "entities", "names", "dates",
    "fields", "csv", "format", "document", "passage", "text", "key", "points", "classify",
    "label", "category", "sentiment", "column", "rows", "keywords", "extraction", "review",
    "mentioned", "identify", "return", "structured"};
constexpr std::string_view kScience[] = {
    "physics", "chemistry", "biology", "atom", "molecule", "energy", "force", "gravity", "cell",
    "dna", "evolution", "photosynthesis", "electron", "reaction", "velocity", "acceleration",
    "quantum", "experiment", "hypothesis", "species", "ecosystem", "planet", "orbit",
    "temperature", "pressure", "wavelength", "enzyme", "protein", "genome", "science"};
constexpr std::string_view kTechnology[] = {
    "computer", "software", "hardware", "network", "internet", "smartphone", "cloud", "server",
    "database", "security", "encryption", "ai", "robot", "device", "laptop", "wifi", "browser",
    "app", "blockchain", "processor", "storage", "bandwidth", "router", "startup", "gadget",
    "battery", "sensor", "technology", "digital", "online"};
constexpr std::string_view kHealth[] = {
    "health", "diet", "exercise", "sleep", "symptom", "disease", "doctor", "medicine",
    "vitamin", "nutrition", "calorie", "stress", "anxiety", "blood", "pressure", "heart",
    "muscle", "injury", "therapy", "vaccine", "infection", "protein", "weight", "hydration",
    "posture", "allergy", "migraine", "healthy", "patient", "treatment"};
constexpr std::string_view kHumanities[] = {
    "philosophy", "ethics", "art", "literature", "novel", "poetry", "religion", "aesthetics",
    "morality", "virtue", "existential", "kant", "plato", "painting", "music", "symphony",
    "renaissance", "meaning", "metaphor", "critique", "theatre", "sculpture", "myth",
    "humanities", "author", "interpretation", "belief", "truth", "free", "will"};
constexpr std::string_view kHistory[] = {
    "history", "war", "empire", "revolution", "ancient", "medieval", "century", "dynasty",
    "king", "queen", "treaty", "colonial", "battle", "civilization", "roman", "egypt",
    "industrial", "independence", "monarchy", "archive", "historian", "era", "conquest",
    "reform", "historical", "invasion", "pharaoh", "victorian", "cold", "world"};
constexpr std::string_view kCulture[] = {
    "culture", "tradition", "festival", "cuisine", "custom", "holiday", "music", "fashion",
    "film", "movie", "celebrity", "sport", "etiquette", "ritual", "folklore", "heritage",
    "dance", "wedding", "travel", "tourism", "museum", "city", "country", "cultural", "songs",
    "national", "food", "dish", "greeting", "ceremony"};
constexpr std::string_view kSocialScience[] = {
    "economics", "market", "inflation", "psychology", "sociology", "society", "policy",
    "government", "election", "law", "rights", "inequality", "behavior", "survey", "demand",
    "supply", "trade", "tax", "unemployment", "politics", "democracy", "institution", "gdp",
    "community", "social", "income", "voters", "regulation", "poverty", "migration"};
constexpr std::string_view kLanguage[] = {
    "grammar", "translate", "translation", "spanish", "french", "synonym", "antonym", "word",
    "sentence", "meaning", "pronounce", "idiom", "phrase", "verb", "noun", "adjective", "tense",
    "spelling", "vocabulary", "dialect", "english", "chinese", "german", "definition",
    "language", "plural", "correct", "fluent", "japanese", "letters"};
constexpr std::string_view kDaily[] = {
    "recipe", "cook", "travel", "plan", "budget", "gift", "party", "garden", "home", "clean",
    "pet", "dog", "cat", "car", "job", "resume", "friend", "family", "birthday", "shopping",
    "weekend", "vacation", "advice", "morning", "routine", "hobby", "kids", "house", "money",
    "save"};

constexpr Words kDomainWords[] = {kCoding,    kMath,       kReasoning, kWriting, kRoleplay,
                                  kExtraction, kScience,   kTechnology, kHealth, kHumanities,
                                  kHistory,   kCulture,    kSocialScience, kLanguage, kDaily};
static_assert(std::size(kDomainWords) == kDomainCount);

// Syllables are onset + vowel + optional liquid coda. No onset begins with a coda letter followed
// by another onset, so a word splits into syllables one way only: distinct syllable triples are
// distinct strings.
constexpr std::string_view kOnsets[] = {"b", "d", "f", "g", "k", "l", "m", "n", "p",
                                        "r", "s", "t", "v", "z", "br", "dr", "tr", "st"};
constexpr std::string_view kVowels[] = {"a", "e", "i", "o", "u"};
constexpr std::string_view kCodas[] = {"", "n", "r", "l"};
constexpr std::uint64_t kSyllables = std::size(kOnsets) * std::size(kVowels) * std::size(kCodas);
constexpr std::uint64_t kPseudoWords = kSyllables * kSyllables * kSyllables;
// Odd and prime to 3 and 5, hence to kPseudoWords = 2^9 3^6 5^3: i -> i * k + c is a bijection.
constexpr std::uint64_t kScramble = 2654435761ULL;
constexpr std::uint64_t kScrambleOffset = 12345671ULL;

void append_syllable(std::string& out, std::uint64_t syllable) {
  out += kOnsets[syllable % std::size(kOnsets)];
  syllable /= std::size(kOnsets);
  out += kVowels[syllable % std::size(kVowels)];
  syllable /= std::size(kVowels);
  out += kCodas[syllable];
}

enum class Source { kFiller, kDomain, kTag, kOffTopic };

// Where a word comes from, for a uniform u in [0, 1); off-topic takes whatever the other three
// leave.
Source pick_source(const TextStyle& style, double u) {
  if (u < style.filler) return Source::kFiller;
  u -= style.filler;
  if (u < style.domain) return Source::kDomain;
  u -= style.domain;
  if (u < style.tag) return Source::kTag;
  return Source::kOffTopic;
}

}  // namespace

std::string pseudo_word(std::uint64_t index) {
  ZOOTER_CHECK(index < kPseudoWords);
  std::uint64_t code = (index * kScramble + kScrambleOffset) % kPseudoWords;
  std::string word;
  for (int k = 0; k < 3; ++k) {
    append_syllable(word, code % kSyllables);
    code /= kSyllables;
  }
  return word;
}

std::span<const std::string_view> filler_words() { return kFiller; }
std::span<const std::string_view> opening_words() { return kOpening; }
std::span<const std::string_view> domain_words(Domain domain) {
  return kDomainWords[domain_index(domain)];
}
std::span<const std::string_view> exam_words() { return kExam; }

TagVocabulary::TagVocabulary(std::vector<Domain> tag_domain) : domain_(std::move(tag_domain)) {
  names_.reserve(domain_.size());
  words_.reserve(domain_.size() * kWordsPerTag);
  const auto& domains = paper_profile().domains;
  for (std::size_t t = 0; t < domain_.size(); ++t) {
    for (std::size_t k = 0; k < kWordsPerTag; ++k) {
      words_.push_back(pseudo_word(t * kWordsPerTag + k));
    }
    names_.push_back(std::string(domains[domain_index(domain_[t])].name) + "-" +
                     words_[t * kWordsPerTag]);
  }
}

std::string compose_query_text(const TagVocabulary& vocabulary, const TextStyle& style,
                               std::uint64_t seed, std::uint64_t query, Domain domain,
                               std::span<const std::uint32_t> tags, std::size_t words,
                               bool exam) {
  ZOOTER_CHECK(!tags.empty());
  // Two draws per position: index (query << 10) + 2 * position (+1). Queries stay under 512 words.
  ZOOTER_CHECK(words < 512);
  const std::uint64_t category_stream = stream(SimStream::kTextCategory);
  const std::uint64_t word_stream = stream(SimStream::kTextWord);
  auto key = [&](std::size_t position, std::uint64_t k) {
    return (query << 10) + 2 * position + k;
  };
  auto choose = [&](Words list, std::size_t position, std::uint64_t k) {
    return list[random::below(seed, word_stream, key(position, k), list.size())];
  };

  std::string text;
  text.reserve(words * 8);
  text += choose(kOpening, 0, 0);
  for (std::size_t i = 1; i < words; ++i) {
    text += ' ';
    const double u = random::uniform01(seed, category_stream, key(i, 0));
    switch (pick_source(style, u)) {
      case Source::kFiller:
        // The second category draw of a filler position is otherwise unused: texts of queries
        // that are not exam-style are the same as before exam words existed.
        if (exam && random::uniform01(seed, category_stream, key(i, 1)) < style.exam_filler) {
          text += choose(kExam, i, 0);
        } else {
          text += choose(kFiller, i, 0);
        }
        break;
      case Source::kDomain: {
        // Mostly the query's own domain; sometimes the domain of one of its tags.
        const double v = random::uniform01(seed, category_stream, key(i, 1));
        Domain d = domain;
        if (v < style.tag_domain) {
          d = vocabulary.domain(tags[random::below(seed, word_stream, key(i, 1), tags.size())]);
        }
        text += choose(domain_words(d), i, 0);
        break;
      }
      case Source::kTag: {
        const std::uint32_t tag = tags[random::below(seed, word_stream, key(i, 1), tags.size())];
        // The first word, the tag's stem, is as frequent as the other two together.
        const std::uint64_t r = random::below(seed, word_stream, key(i, 0), 4);
        text += vocabulary.word(tag, r < 2 ? 0 : r - 1);
        break;
      }
      case Source::kOffTopic: {
        const std::uint64_t d = random::below(seed, word_stream, key(i, 1), kDomainCount);
        text += choose(kDomainWords[d], i, 0);
        break;
      }
    }
  }
  return text;
}

}  // namespace zooter::suites
