// A one-line progress display for live calls: done/total, percent, rate and ETA, on the stream
// it is given (stderr in the CLI), never on standard output. On a terminal the line is redrawn
// in place with '\r'; elsewhere (a log file, a pipe) a '\r' would pile hundreds of updates
// into one line, so plain lines are written instead, one each time another tenth of the calls
// is done, and a last one at the end.
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace zooter::live {

// Where progress goes: a stream (nullptr: nowhere), and whether it is a terminal.
struct ProgressOutput {
  std::ostream* stream = nullptr;
  bool terminal = false;
};

class LiveProgress {
 public:
  // Off a terminal, one plain line per this fraction of the calls at most.
  static constexpr std::size_t kPlainLinesPerRun = 10;

  // `already_done` calls were finished by an earlier run (resume): they count in done/total but
  // not in the rate.
  LiveProgress(ProgressOutput out, std::string label, std::size_t total, std::size_t already_done);

  void update(std::size_t done_now, std::size_t failed);  // done_now: finished in this run
  void finish(std::size_t done_now, std::size_t failed);  // final redraw and newline

  // "12/40 calls  30%  2.5/s  ETA 11s" for the given state (pure, for tests).
  [[nodiscard]] static std::string line(const std::string& label, std::size_t done, std::size_t total,
                                        std::size_t failed, double rate, double eta_seconds);

 private:
  void draw(std::size_t done_now, std::size_t failed, bool final);

  ProgressOutput out_;
  std::string label_;
  std::size_t total_;
  std::size_t already_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::size_t last_tenth_ = 0;  // off a terminal: the tenth of the calls the last line showed
};

}  // namespace zooter::live
