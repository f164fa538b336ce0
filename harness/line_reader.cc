#include "harness/line_reader.h"

#include <cstring>

#include "harness/error.h"
#include "harness/input_file.h"

namespace zooter {
namespace {
constexpr std::size_t kBlock = 1 << 20;
}

LineReader::LineReader(std::string path, std::size_t max_line_bytes)
    : path_(std::move(path)), max_line_bytes_(max_line_bytes) {
  file_ = open_input_file(path_);
  buffer_.resize(kBlock + max_line_bytes_ + 2);
}

LineReader::~LineReader() {
  if (file_ != nullptr) std::fclose(file_);
}

// Moves unread bytes to the front and reads more; returns false when nothing new arrived.
bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t room = buffer_.size() - 1 - end_;  // keep one byte for a terminator
  const std::size_t got = std::fread(buffer_.data() + end_, 1, room, file_);
  if (got < room) {
    if (std::ferror(file_)) throw InputError(path_, 0, "read error");
    eof_ = true;
  }
  end_ += got;
  bytes_read_ += got;
  return got > 0;
}

bool LineReader::next(Line& line) {
  line = Line{};
  if (first_) {
    first_ = false;
    fill();
    bom_ = end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0;
  }
  bool skipping = false;  // inside an over-long line, looking for its end
  for (;;) {
    char* start = buffer_.data() + begin_;
    char* nl = static_cast<char*>(std::memchr(start, '\n', end_ - begin_));
    if (nl != nullptr) {
      const std::size_t length = static_cast<std::size_t>(nl - start);
      begin_ += length + 1;
      // A CR before the newline is a line end, not content: CRLF lines get the same limit.
      const std::size_t content = length > 0 && start[length - 1] == '\r' ? length - 1 : length;
      if (skipping || content > max_line_bytes_) {
        line.too_long = true;
        line.number = ++line_number_;
        return true;
      }
      line.number = ++line_number_;
      std::size_t text_length = length;
      if (text_length > 0 && start[text_length - 1] == '\r') {
        --text_length;
        line.had_cr = true;
      }
      start[text_length] = '\0';
      line.data = start;
      line.text = std::string_view(start, text_length);
      return true;
    }
    const std::size_t pending = end_ - begin_;
    if (pending > max_line_bytes_ + 1) {  // + 1: room for the CR of a CRLF line end
      skipping = true;  // drop what we have of this line; keep reading to its end
      begin_ = end_;
    }
    if (!fill()) {
      if (end_ == begin_ || skipping) {
        // End of file. Inside an over-long line, whatever is left is its tail: the line is
        // reported once as too long, never returned in part.
        begin_ = end_;
        if (skipping) {
          line.too_long = true;
          line.number = ++line_number_;
          return true;
        }
        return false;
      }
      // Last line without a newline: terminate it in the reserved byte.
      char* last = buffer_.data() + begin_;
      const std::size_t length = end_ - begin_;
      begin_ = end_;
      line.number = ++line_number_;
      std::size_t text_length = length;
      if (text_length > 0 && last[text_length - 1] == '\r') {
        --text_length;
        line.had_cr = true;
      }
      if (text_length > max_line_bytes_) {
        line.too_long = true;
        return true;
      }
      last[text_length] = '\0';
      line.data = last;
      line.text = std::string_view(last, text_length);
      return true;
    }
  }
}

}  // namespace zooter
