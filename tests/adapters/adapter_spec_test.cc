// AdapterSpec: parsing of --adapter specs, canonical(), allow_only() and number_argument().
#include "adapters/adapter_spec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "harness/error.h"

namespace zooter::adapters {
namespace {

using Arguments = std::vector<std::pair<std::string, std::string>>;

struct GoodSpec {
  const char* text;
  const char* name;
  Arguments arguments;
};

TEST(AdapterSpec, ParsesValidSpecs) {
  const GoodSpec cases[] = {
      {"oracle", "oracle", {}},
      {"best-single", "best-single", {}},
      {"single@wizardlm", "single", {{"", "wizardlm"}}},
      {"rmr@qwen-rm", "rmr", {{"", "qwen-rm"}}},
      {"best-single@on=train", "best-single", {{"on", "train"}}},
      {"zooter@beta=0.3,reward=qwen-rm", "zooter", {{"beta", "0.3"}, {"reward", "qwen-rm"}}},
      // Arguments keep the order given; a value may itself contain '=' or '@'.
      {"x@b=2,a=1", "x", {{"b", "2"}, {"a", "1"}}},
      {"x@k=a=b", "x", {{"k", "a=b"}}},
      {"x@m@n", "x", {{"", "m@n"}}},
      // List values: items without '=' continue the value before them.
      {"cascade@order=a,b,c,threshold=0.5", "cascade", {{"order", "a,b,c"}, {"threshold", "0.5"}}},
      {"x@k=1,y", "x", {{"k", "1,y"}}},
  };
  for (const GoodSpec& c : cases) {
    SCOPED_TRACE(c.text);
    const AdapterSpec spec = AdapterSpec::parse(c.text);
    EXPECT_EQ(spec.name, c.name);
    EXPECT_EQ(spec.arguments, c.arguments);
  }
}

struct BadSpec {
  const char* text;
  const char* message;
};

TEST(AdapterSpec, RejectsMalformedSpecs) {
  const BadSpec cases[] = {
      {"", R"(adapter spec "": empty adapter name)"},
      {"@x", R"(adapter spec "@x": empty adapter name)"},
      {"a@", R"(adapter spec "a@": nothing after '@')"},
      {"a@k=", R"(adapter spec "a@k=": expected key=value, got "k=")"},
      {"a@=v", R"(adapter spec "a@=v": expected key=value, got "=v")"},
      {"a@x,y", R"(adapter spec "a@x,y": several bare values; use key=value pairs)"},
      {"a@k=1,", R"(adapter spec "a@k=1,": expected key=value, got "")"},
      {"a@k=1,,j=2", R"(adapter spec "a@k=1,,j=2": expected key=value, got "")"},
      {"a@k=1,k=2", R"(adapter spec "a@k=1,k=2": "k" given twice)"},
  };
  for (const BadSpec& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      (void)AdapterSpec::parse(c.text);
      ADD_FAILURE() << "parsed";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), c.message);
    }
  }
}

TEST(AdapterSpec, CanonicalRoundTrips) {
  for (const char* text : {"oracle", "single@alpha", "best-single@on=train",
                           "zooter@beta=0.3,reward=qwen-rm", "x@a=1,b=2", "single@007"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(AdapterSpec::parse(text).canonical(), text);
  }
  const AdapterSpec built{"rmr", {{"", "judge-rm"}}};
  EXPECT_EQ(built.canonical(), "rmr@judge-rm");
}

// The same adapter with the same arguments has one canonical form, however it is written: the
// pipeline names runs by it, so each spelling below is that adapter "given twice". Each row
// lists spellings of one meaning, its canonical form first; different rows must differ.
TEST(AdapterSpec, CanonicalIsOneFormPerMeaning) {
  const std::vector<std::vector<std::string>> meanings = {
      {"knn@k=3", "knn@k=03", "knn@k=003", "knn@k=3.0", "knn@k=3e0"},
      {"knn@k=3,reward=gold", "knn@reward=gold,k=3", "knn@reward=gold,k=03"},
      {"zooter@beta=0.3,reward=qwen-rm", "zooter@reward=qwen-rm,beta=0.30", "zooter@beta=.3,reward=qwen-rm"},
      {"x@a=1,b=2,c=3", "x@c=3,b=2,a=1", "x@b=02,a=1,c=3.000"},
      {"cascade@order=a,b,scorer=r", "cascade@scorer=r,order=a,b"},
      {"seeded@seed=18446744073709551615", "seeded@seed=018446744073709551615"},
      {"seeded@seed=18446744073709551614"},
      {"signed@x=-2", "signed@x=-02", "signed@x=-2.0"},
      {"knn@k=30"},
      {"single@03"},
      {"single@3"},
  };
  std::vector<std::string> forms;
  for (const std::vector<std::string>& spellings : meanings) {
    for (const std::string& text : spellings) {
      EXPECT_EQ(AdapterSpec::parse(text).canonical(), spellings.front()) << text;
    }
    forms.push_back(spellings.front());
  }
  std::sort(forms.begin(), forms.end());
  EXPECT_EQ(std::adjacent_find(forms.begin(), forms.end()), forms.end());
}

TEST(AdapterSpec, GetAndPositional) {
  const AdapterSpec bare = AdapterSpec::parse("single@alpha");
  const AdapterSpec keyed = AdapterSpec::parse("single@model=alpha");
  const AdapterSpec none = AdapterSpec::parse("single");
  EXPECT_EQ(bare.positional("model"), "alpha");
  EXPECT_EQ(keyed.positional("model"), "alpha");
  EXPECT_EQ(none.positional("model"), std::nullopt);
  EXPECT_EQ(bare.get("model"), std::nullopt);
  EXPECT_EQ(bare.get(""), "alpha");
  EXPECT_EQ(keyed.get("model"), "alpha");
}

// what() of the UsageError allow_only throws, or "" when it accepts.
std::string allow_only_error(const char* text, const std::vector<std::string>& known) {
  try {
    AdapterSpec::parse(text).allow_only(known);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(AdapterSpec, AllowOnly) {
  EXPECT_EQ(allow_only_error("rmr@judge-rm", {"", "reward"}), "");
  EXPECT_EQ(allow_only_error("rmr@reward=judge-rm", {"", "reward"}), "");
  EXPECT_EQ(allow_only_error("oracle", {}), "");
  EXPECT_EQ(allow_only_error("rmr@foo=1", {"", "reward"}),
            R"(adapter "rmr": unknown argument "foo" (known: reward))");
  EXPECT_EQ(allow_only_error("x@reward=r,foo=1", {"reward", "beta"}),
            R"(adapter "x": unknown argument "foo" (known: reward, beta))");
  EXPECT_EQ(allow_only_error("x@judge", {"reward"}),
            R"(adapter "x" takes no bare value ("judge"); arguments: reward)");
  EXPECT_EQ(allow_only_error("oracle@x", {}),
            R"(adapter "oracle" takes no bare value ("x"); arguments: none)");
  EXPECT_EQ(allow_only_error("oracle@k=1", {}),
            R"(adapter "oracle": unknown argument "k" (known: none))");
}

// number_argument's value, or the UsageError's what() as a string.
std::string number_or_error(const char* text, const std::string& key, double fallback = -1) {
  try {
    return std::to_string(number_argument(AdapterSpec::parse(text), key, fallback));
  } catch (const UsageError& e) {
    return e.what();
  }
}

TEST(AdapterSpec, NumberArgument) {
  EXPECT_EQ(number_argument(AdapterSpec::parse("zooter@beta=0.3"), "beta", 1.0), 0.3);
  EXPECT_EQ(number_argument(AdapterSpec::parse("zooter@beta=-2"), "beta", 1.0), -2.0);
  EXPECT_EQ(number_argument(AdapterSpec::parse("zooter@beta=1e-3"), "beta", 1.0), 1e-3);
  EXPECT_EQ(number_argument(AdapterSpec::parse("zooter@reward=r"), "beta", 1.5), 1.5);
  EXPECT_EQ(number_argument(AdapterSpec::parse("zooter"), "beta", 1.5), 1.5);
  const struct {
    const char* text;
    const char* message;
  } bad[] = {
      {"zooter@beta=abc", R"(adapter "zooter@beta=abc": beta must be a number, got "abc")"},
      {"zooter@beta=0.3x", R"(adapter "zooter@beta=0.3x": beta must be a number, got "0.3x")"},
      {"zooter@beta=inf", R"(adapter "zooter@beta=inf": beta must be a number, got "inf")"},
      {"zooter@beta=nan", R"(adapter "zooter@beta=nan": beta must be a number, got "nan")"},
      {"zooter@beta=1e400", R"(adapter "zooter@beta=1e400": beta must be a number, got "1e400")"},
      {"zooter@reward=r,beta= 1",
       R"(adapter "zooter@beta= 1,reward=r": beta must be a number, got " 1")"},
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(number_or_error(c.text, "beta"), c.message);
  }
}

}  // namespace
}  // namespace zooter::adapters
