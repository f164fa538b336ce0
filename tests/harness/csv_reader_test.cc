// CsvReader: RFC 4180 records (quoted commas, doubled quotes, line breaks inside quotes), the
// line each record starts on, and every class of malformed quoting with its exact
// "path:line: message".
#include "harness/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/error.h"
#include "harness/problem_list.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

using Fields = std::vector<std::string>;

struct Read {
  std::vector<Fields> records;
  std::vector<std::size_t> lines;
  std::vector<std::string> problems;
};

Read read_csv(const test::TempDir& dir, const std::string& bytes,
              const std::string& name = "t.csv") {
  const std::string path = dir.file(name);
  test::write_file(path, bytes);
  ProblemList problems(path);
  CsvReader reader(path, problems);
  Read out;
  CsvRecord record;
  while (reader.next(record)) {
    out.records.push_back(record.fields);
    out.lines.push_back(record.line);
  }
  out.problems = problems.shown();
  return out;
}

TEST(CsvReader, PlainRecords) {
  test::TempDir dir;
  const Read r = read_csv(dir, "a,b,c\n1,2,3\n");
  EXPECT_EQ(r.records, (std::vector<Fields>{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(r.lines, (std::vector<std::size_t>{1, 2}));
  EXPECT_TRUE(r.problems.empty());
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  test::TempDir dir;
  const Read r = read_csv(dir,
                          "id,text\n"
                          "1,\"a, b\"\n"
                          "2,\"she said \"\"hi\"\"\"\n"
                          "3,\"two\nlines\r\nand CRLF\"\n"
                          "4,\"\"\n");
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.records[1], (Fields{"1", "a, b"}));
  EXPECT_EQ(r.records[2], (Fields{"2", "she said \"hi\""}));
  EXPECT_EQ(r.records[3], (Fields{"3", "two\nlines\r\nand CRLF"}));  // kept byte for byte
  EXPECT_EQ(r.records[4], (Fields{"4", ""}));
  // Record "3" spans lines 4 to 6, so record "4" starts on line 7.
  EXPECT_EQ(r.lines, (std::vector<std::size_t>{1, 2, 3, 4, 7}));
  EXPECT_TRUE(r.problems.empty());
}

TEST(CsvReader, LineEndsBomEmptyLinesAndEmptyFields) {
  test::TempDir dir;
  // BOM, CRLF ends, an empty line (skipped), a trailing comma (an empty last field), a lone CR
  // inside a field (data) and no final line break.
  const Read r = read_csv(dir, "\xEF\xBB\xBFx,y\r\n\r\n1,\r\n,2\n3\r4,5");
  EXPECT_EQ(r.records, (std::vector<Fields>{{"x", "y"}, {"1", ""}, {"", "2"}, {"3\r4", "5"}}));
  EXPECT_EQ(r.lines, (std::vector<std::size_t>{1, 3, 4, 5}));
  EXPECT_TRUE(r.problems.empty());
}

TEST(CsvReader, EmptyFileHasNoRecords) {
  test::TempDir dir;
  const Read r = read_csv(dir, "");
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.problems.empty());
}

TEST(CsvReader, QuoteInsideAnUnquotedField) {
  test::TempDir dir;
  const Read r = read_csv(dir, "a,b\n1,2 \"inch\"\n");
  EXPECT_EQ(r.records[1], (Fields{"1", "2 \"inch\""}));  // kept as characters
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{
                dir.file("t.csv") +
                ":2: '\"' inside an unquoted field (quote the field and double its quotes)"}));
}

TEST(CsvReader, TextAfterAClosingQuote) {
  test::TempDir dir;
  const Read r = read_csv(dir, "a,b\n\"x\"y,2\n");
  EXPECT_EQ(r.records[1], (Fields{"xy", "2"}));
  EXPECT_EQ(r.problems, (std::vector<std::string>{dir.file("t.csv") +
                                                  ":2: text after the closing quote of a field"}));
}

TEST(CsvReader, QuotedFieldNeverClosedNamesTheLineItOpensOn) {
  test::TempDir dir;
  const Read r = read_csv(dir, "a,b\n1,2\n3,\"open\nmore\nstill open\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[2], (Fields{"3", "open\nmore\nstill open\n"}));
  EXPECT_EQ(r.problems,
            (std::vector<std::string>{dir.file("t.csv") +
                                      ":3: quoted field is never closed (a '\"' is missing)"}));
}

// The header: a name given twice is a problem whichever column a reader would have taken;
// empty names (pandas' index column) are not names.
TEST(CsvReader, HeaderWithARepeatedNameIsAProblem) {
  test::TempDir dir;
  const std::string path = dir.file("h.csv");
  test::write_file(path, ",a,b,a,,b,a\n1,2,3,4,5,6,7\n");
  ProblemList problems(path);
  CsvReader reader(path, problems);
  CsvRecord header;
  ASSERT_TRUE(reader.next_header(header));
  EXPECT_EQ(problems.shown(), (std::vector<std::string>{path + ":1: column \"a\" appears twice in the header (columns 2 and 4)",
                                                        path + ":1: column \"b\" appears twice in the header (columns 3 and 6)",
                                                        path + ":1: column \"a\" appears twice in the header (columns 2 and 7)"}));
  test::write_file(path, ",a,b\n");
  ProblemList fine(path);
  CsvReader again(path, fine);
  ASSERT_TRUE(again.next_header(header));
  EXPECT_TRUE(fine.empty());
}

// Every field must be UTF-8: what importers read ends up in a bundle, which must be.
TEST(CsvReader, FieldsThatAreNotUtf8AreProblems) {
  test::TempDir dir;
  const Read r = read_csv(dir, "id,text\nq1,caf\xC3\xA9\nq\xFF,\"two\nlines \xC3\"\n");
  EXPECT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.problems, (std::vector<std::string>{dir.file("t.csv") + ":3: field 1: byte 2 is not valid UTF-8 (the file must be UTF-8)",
                                                  dir.file("t.csv") + ":3: field 2: byte 11 is not valid UTF-8 (the file must be UTF-8)"}));
}

TEST(CsvReader, UnreadableFile) {
  test::TempDir dir;
  ProblemList problems("x");
  try {
    CsvReader reader(dir.file("absent.csv"), problems);
    FAIL() << "opened a missing file";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("absent.csv") + ": does not exist");
  }
}

TEST(CsvReader, LongFieldsCrossBufferBlocks) {
  test::TempDir dir;
  const std::string big(200000, 'z');  // several 64 KiB blocks, with a CRLF split across one
  const Read r = read_csv(dir, "a,b\r\n\"" + big + "\"\"\"," + big + "\r\nlast,1\r\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1][0], big + "\"");
  EXPECT_EQ(r.records[1][1], big);
  EXPECT_EQ(r.records[2], (Fields{"last", "1"}));
  EXPECT_EQ(r.lines, (std::vector<std::size_t>{1, 2, 3}));
}

}  // namespace
}  // namespace zooter
