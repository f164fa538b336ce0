// A one-line progress display for live calls: done/total, percent, rate and ETA, redrawn in
// place with '\r' on the stream it is given (stderr in the CLI), never on standard output.
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace zooter::live {

class LiveProgress {
 public:
  // `already_done` calls were finished by an earlier run (resume): they count in done/total but
  // not in the rate.
  LiveProgress(std::ostream* out, std::string label, std::size_t total, std::size_t already_done);

  void update(std::size_t done_now, std::size_t failed);  // done_now: finished in this run
  void finish(std::size_t done_now, std::size_t failed);  // final redraw and newline

  // "12/40 calls  30%  2.5/s  ETA 11s" for the given state (pure, for tests).
  [[nodiscard]] static std::string line(const std::string& label, std::size_t done, std::size_t total,
                                        std::size_t failed, double rate, double eta_seconds);

 private:
  void draw(std::size_t done_now, std::size_t failed, bool final);

  std::ostream* out_;
  std::string label_;
  std::size_t total_;
  std::size_t already_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace zooter::live
