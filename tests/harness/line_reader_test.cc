// LineReader: line ends, the last line, over-long lines and reads across its 1 MiB blocks.
#include "harness/line_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/error.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

struct ReadLine {
  std::string text;
  std::size_t number = 0;
  bool too_long = false;
  bool had_cr = false;

  bool operator==(const ReadLine&) const = default;
};

void PrintTo(const ReadLine& l, std::ostream* os) {
  *os << "{" << l.number << ", \"" << (l.text.size() > 60 ? l.text.substr(0, 60) + "..." : l.text)
      << "\" (" << l.text.size() << " bytes)" << (l.too_long ? ", too long" : "")
      << (l.had_cr ? ", CR" : "") << "}";
}

// Writes `bytes` to a file and reads it back with the given limit.
std::vector<ReadLine> read_all(const std::string& bytes, std::size_t max_line_bytes = 1000) {
  const test::TempDir tmp;
  const std::string path = tmp.file("lines.txt");
  test::write_file(path, bytes);
  LineReader reader(path, max_line_bytes);
  std::vector<ReadLine> lines;
  LineReader::Line line;
  while (reader.next(line)) {
    if (!line.too_long) {
      EXPECT_EQ(line.data, line.text.data());
    }
    lines.push_back({std::string(line.text), line.number, line.too_long, line.had_cr});
  }
  EXPECT_EQ(reader.bytes_read(), bytes.size());
  return lines;
}

TEST(LineReader, LfLines) {
  EXPECT_EQ(read_all("a\nbc\n\ndef\n"),
            (std::vector<ReadLine>{{"a", 1}, {"bc", 2}, {"", 3}, {"def", 4}}));
}

TEST(LineReader, CrlfLinesLoseTheirCr) {
  EXPECT_EQ(read_all("a\r\nbc\r\n\r\n"),
            (std::vector<ReadLine>{{"a", 1, false, true}, {"bc", 2, false, true}, {"", 3, false, true}}));
}

TEST(LineReader, MixedLineEnds) {
  EXPECT_EQ(read_all("a\r\nb\nc\r\n"),
            (std::vector<ReadLine>{{"a", 1, false, true}, {"b", 2}, {"c", 3, false, true}}));
}

TEST(LineReader, CrInsideALineIsKept) {
  EXPECT_EQ(read_all("a\rb\n"), (std::vector<ReadLine>{{"a\rb", 1}}));
}

TEST(LineReader, LastLineWithoutNewline) {
  EXPECT_EQ(read_all("a\nlast"), (std::vector<ReadLine>{{"a", 1}, {"last", 2}}));
  EXPECT_EQ(read_all("a\nlast\r"), (std::vector<ReadLine>{{"a", 1}, {"last", 2, false, true}}));
}

TEST(LineReader, EmptyFileHasNoLines) { EXPECT_TRUE(read_all("").empty()); }

TEST(LineReader, LoneNewlineIsOneEmptyLine) {
  EXPECT_EQ(read_all("\n"), (std::vector<ReadLine>{{"", 1}}));
}

TEST(LineReader, LinesAreNulTerminatedForInSituParsing) {
  const test::TempDir tmp;
  const std::string path = tmp.file("lines.txt");
  test::write_file(path, "ab\r\ncd\nlast");
  LineReader reader(path, 100);
  LineReader::Line line;
  for (const char* expected : {"ab", "cd", "last"}) {
    ASSERT_TRUE(reader.next(line));
    EXPECT_STREQ(line.data, expected);
  }
  EXPECT_FALSE(reader.next(line));
}

TEST(LineReader, OverLongLineInTheMiddle) {
  const std::string long_line(50, 'x');
  EXPECT_EQ(read_all("first\n" + long_line + "\nthird\nfourth", 20),
            (std::vector<ReadLine>{{"first", 1}, {"", 2, true}, {"third", 3}, {"fourth", 4}}));
}

TEST(LineReader, LineExactlyAtTheLimit) {
  const std::string at(20, 'a');
  const std::string over(21, 'b');
  EXPECT_EQ(read_all(at + "\n" + over + "\n" + at, 20),
            (std::vector<ReadLine>{{at, 1}, {"", 2, true}, {at, 3}}));
}

// A CRLF line is treated like the same line with LF (docs/bundle-format.md): the CR does not
// count towards the limit.
TEST(LineReader, CrlfLineExactlyAtTheLimit) {
  const std::string at(20, 'a');
  EXPECT_EQ(read_all(at + "\r\n" + at + "\r\n", 20),
            (std::vector<ReadLine>{{at, 1, false, true}, {at, 2, false, true}}));
}

TEST(LineReader, OverLongLastLineWithoutNewline) {
  EXPECT_EQ(read_all("ok\n" + std::string(50, 'x'), 20),
            (std::vector<ReadLine>{{"ok", 1}, {"", 2, true}}));
}

// Over-long lines longer than a whole read, ending with and without a newline, at lengths
// around the reader's first read (1 MiB + limit + 1 bytes) and its later reads.
TEST(LineReader, OverLongLinesAcrossBlocks) {
  constexpr std::size_t kLimit = 100;
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  for (const std::size_t length :
       {kLimit + 1, kMiB - 1, kMiB + kLimit, kMiB + kLimit + 1, kMiB + kLimit + 2,
        kMiB + kLimit + 50, kMiB + 2 * kLimit + 1, 2 * kMiB + 3 * kLimit}) {
    for (const bool newline : {true, false}) {
      SCOPED_TRACE("length " + std::to_string(length) + (newline ? " with" : " without") +
                   " newline");
      const std::string bytes = std::string(length, 'x') + (newline ? "\n" : "");
      EXPECT_EQ(read_all(bytes, kLimit), (std::vector<ReadLine>{{"", 1, true}}));
      EXPECT_EQ(read_all(bytes + (newline ? "" : "\n") + "next\n", kLimit),
                (std::vector<ReadLine>{{"", 1, true}, {"next", 2}}));
    }
  }
}

// 3 MiB of short lines: lines cross the 1 MiB read boundaries and must come out whole.
TEST(LineReader, ManyBlocksOfShortLines) {
  std::string bytes;
  std::size_t count = 0;
  while (bytes.size() < (std::size_t{3} << 20)) {
    const std::size_t i = count++;
    bytes += "line " + std::to_string(i) + ((i + 1) % 3 == 0 ? "\r\n" : "\n");
  }
  const std::vector<ReadLine> lines = read_all(bytes, 64);
  ASSERT_EQ(lines.size(), count);
  for (std::size_t i = 0; i < count; ++i) {
    const ReadLine expected{"line " + std::to_string(i), i + 1, false, (i + 1) % 3 == 0};
    if (lines[i] != expected) {
      ADD_FAILURE() << "line " << i + 1 << " is " << ::testing::PrintToString(lines[i])
                    << ", expected " << ::testing::PrintToString(expected);
      break;
    }
  }
}

TEST(LineReader, MissingFile) {
  const test::TempDir tmp;
  const std::string path = tmp.file("absent.jsonl");
  try {
    LineReader reader(path, 100);
    ADD_FAILURE() << "opened a missing file";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": does not exist");
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(e.line(), 0u);
  }
}

TEST(LineReader, ByteOrderMarkDetected) {
  const test::TempDir tmp;
  const std::string with = tmp.file("with.txt");
  const std::string without = tmp.file("without.txt");
  test::write_file(with, "\xEF\xBB\xBF{}\n");
  test::write_file(without, "{}\n\xEF\xBB\xBF\n");
  LineReader a(with, 100), b(without, 100);
  LineReader::Line line;
  ASSERT_TRUE(a.next(line));
  EXPECT_TRUE(a.starts_with_bom());
  EXPECT_EQ(line.text, "\xEF\xBB\xBF{}");  // the bytes stay; the loader reports them
  ASSERT_TRUE(b.next(line));
  EXPECT_FALSE(b.starts_with_bom());
}

}  // namespace
}  // namespace zooter
