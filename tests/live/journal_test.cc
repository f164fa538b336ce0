#include "live/journal.h"

#include <gtest/gtest.h>

#include <sstream>

#include "harness/error.h"
#include "tests/helpers.h"

namespace zooter::live {
namespace {

const std::string kIdentity = R"({"zooter_journal":"collect","queries":"abc"})";

TEST(JournalTest, RoundTripKeepsRecordsInOrder) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  {
    Journal j(path, kIdentity, nullptr);
    EXPECT_TRUE(j.records().empty());
    j.append(R"({"query":"q1","candidate":"a"})");
    j.append(R"({"query":"q2","candidate":"a"})");
  }
  EXPECT_EQ(test::read_file(path),
            kIdentity + "\n" + R"({"query":"q1","candidate":"a"})" + "\n" + R"({"query":"q2","candidate":"a"})" + "\n");
  Journal again(path, kIdentity, nullptr);
  ASSERT_EQ(again.records().size(), 2u);
  EXPECT_EQ(again.records()[1], R"({"query":"q2","candidate":"a"})");
  again.append(R"({"query":"q3","candidate":"a"})");
  EXPECT_EQ(test::split_lines(test::read_file(path)).size(), 4u);
}

TEST(JournalTest, TornLastLineIsReportedAndTruncated) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  const std::string good = kIdentity + "\n" + R"({"query":"q1"})" + "\n";
  for (const std::string& torn : {std::string(R"({"query":"q2","tex)"), std::string(R"({"query":"q2"})"),
                                  std::string("{\"query\":\"q2\",\n")}) {
    SCOPED_TRACE(torn);
    test::write_file(path, good + torn);
    std::ostringstream warnings;
    {
      Journal j(path, kIdentity, &warnings);
      ASSERT_EQ(j.records().size(), 1u);
      EXPECT_EQ(j.records()[0], R"({"query":"q1"})");
      j.append(R"({"query":"q2"})");
    }
    EXPECT_NE(warnings.str().find(path + ":3: discarding a torn last line"), std::string::npos) << warnings.str();
    EXPECT_EQ(test::read_file(path), good + R"({"query":"q2"})" + "\n");
  }
}

TEST(JournalTest, CorruptMiddleLineIsAnError) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  test::write_file(path, kIdentity + "\n{\"query\":\nnot json\n" + R"({"query":"q3"})" + "\n");
  try {
    Journal j(path, kIdentity, nullptr);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":2: invalid JSON at column 10: Invalid value.");
  }
}

TEST(JournalTest, ForeignHeaderIsRefused) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  { Journal j(path, kIdentity, nullptr); }
  const std::string other = R"({"zooter_journal":"collect","queries":"def"})";
  try {
    Journal j(path, other, nullptr);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 1u);
    EXPECT_NE(std::string(e.what()).find("this journal belongs to another job"), std::string::npos);
  }
  EXPECT_EQ(test::read_file(path), kIdentity + "\n");  // untouched
}

TEST(JournalTest, TornHeaderStartsOver) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  test::write_file(path, R"({"zooter_jour)");
  std::ostringstream warnings;
  { Journal j(path, kIdentity, &warnings); }
  EXPECT_EQ(test::read_file(path), kIdentity + "\n");
}

}  // namespace
}  // namespace zooter::live
