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

std::string open_error(const std::string& path) {
  try {
    Journal j(path, kIdentity, nullptr);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "opened " << path;
  return "";
}

// A damaged line before the last is no crash's doing (two writers, an edit): every damaged line
// is named at once, with the repair, and the repair works.
TEST(JournalTest, CorruptMiddleLinesAreNamedWithTheRepair) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  test::write_file(path, kIdentity + "\n{\"query\":\nnot json\n" + R"({"query":"q3"})" + "\n");
  EXPECT_EQ(open_error(path),
            path + ":2: invalid JSON at column 10: Invalid value.; 2 lines of the journal are damaged (2, 3), "
                   "which no crash does (two runs writing at once, or an edit): delete those lines (sed -i '2d;3d' " +
                path + ") and rerun: their calls are made again, or delete " + path +
                " to start over (every call is made again)");
  EXPECT_EQ(test::split_lines(test::read_file(path)).size(), 4u);  // untouched

  // Two writers interleaved: one line holds the start of one record and the whole of another.
  test::write_file(path, kIdentity + "\n" + R"({"query":"q1"})" + "\n" + R"({{"query":"q2"})" + "\n" +
                             R"({"query":"q3"})" + "\n");
  EXPECT_EQ(open_error(path),
            path + ":3: invalid JSON at column 2: Missing a name for object member.; 1 line of the journal is "
                   "damaged (3), which no crash does (two runs writing at once, or an edit): delete that line "
                   "(sed -i '3d' " +
                path + ") and rerun: its call is made again, or delete " + path +
                " to start over (every call is made again)");
  test::write_file(path, kIdentity + "\n" + R"({"query":"q1"})" + "\n" + R"({"query":"q3"})" + "\n");  // the repair
  Journal repaired(path, kIdentity, nullptr);
  EXPECT_EQ(repaired.records().size(), 2u);
}

TEST(JournalTest, ManyDamagedLinesAndADamagedHeader) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  std::string text = kIdentity + "\n";
  for (int i = 0; i < 12; ++i) text += "{x\n";
  text += R"({"query":"q"})" "\n";
  test::write_file(path, text);
  EXPECT_EQ(open_error(path),
            path + ":2: invalid JSON at column 2: Missing a name for object member.; 12 lines of the journal are "
                   "damaged (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...), which no crash does (two runs writing at once, "
                   "or an edit): delete every damaged line and rerun (their calls are made again), or delete " +
                path + " to start over (every call is made again)");
  test::write_file(path, "{\"zooter_journal\"\n" + std::string(R"({"query":"q"})") + "\n");
  EXPECT_EQ(open_error(path), path + ":1: invalid JSON at column 18: Missing a colon after a name of object "
                                     "member.; the journal's header is damaged, which no crash does: delete " +
                                  path + " to start over (every call is made again)");
}

// One writer per journal, also when --journal puts it outside a locked output directory.
TEST(JournalTest, SecondWriterIsRefused) {
  test::TempDir dir;
  const std::string path = dir.file("journal.jsonl");
  Journal first(path, kIdentity, nullptr);
  first.append(R"({"query":"q1"})");
  EXPECT_EQ(open_error(path), path + ": another zooter run is appending to this journal; wait for it to end, or "
                                     "give another --journal");
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
