// A one-line terminal progress bar for training, redrawn in place with '\r'.
//
// Writes only to the stream it is given (nullptr: silent), never to standard output itself,
// and only from the thread driving training, so it cannot disturb results. Redraws at most
// once per percent.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace zooter::adapters::router {

class ProgressBar {
 public:
  ProgressBar(std::ostream* out, std::string label, std::size_t total);

  // Shows done / total with a short status (e.g. "loss 0.412").
  void update(std::size_t done, const std::string& status);
  // Redraws at 100% with `status` and ends the line.
  void finish(const std::string& status);

 private:
  void draw(std::size_t done, const std::string& status);

  std::ostream* out_;
  std::string label_;
  std::size_t total_;
  int last_percent_ = -1;
};

}  // namespace zooter::adapters::router
