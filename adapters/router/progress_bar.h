// Training progress: on a terminal, a one-line bar redrawn in place with '\r'; anywhere else
// (a log file, a pipe, a test's stream) one plain line per finished epoch and nothing between,
// so a log holds no hundreds of carriage-return redraws.
//
// Writes only to the stream it is given (none: silent), never to standard output itself, and
// only from the thread driving training, so it cannot disturb results. On a terminal it redraws
// at most once per percent.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace zooter::adapters::router {

// Where progress goes, and whether that is a terminal (the caller knows: isatty on the
// stream's file descriptor; a library stream cannot tell).
struct ProgressSink {
  std::ostream* out = nullptr;  // nullptr: silent
  bool terminal = false;
};

class ProgressBar {
 public:
  ProgressBar(ProgressSink sink, std::string label, std::size_t total);

  // Shows done / total with a short status (e.g. "loss 0.412"); terminal only.
  void update(std::size_t done, const std::string& status);
  // Terminal: redraws at 100% with `status` and ends the line. Elsewhere: writes
  // "LABEL STATUS" as one line.
  void finish(const std::string& status);

 private:
  void draw(std::size_t done, const std::string& status);

  ProgressSink sink_;
  std::string label_;
  std::size_t total_;
  int last_percent_ = -1;
};

}  // namespace zooter::adapters::router
