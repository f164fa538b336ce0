#include "adapters/router/progress_bar.h"

#include <ostream>

namespace zooter::adapters::router {
namespace {

constexpr int kBarWidth = 30;

}  // namespace

ProgressBar::ProgressBar(ProgressSink sink, std::string label, std::size_t total)
    : sink_(sink), label_(std::move(label)), total_(total) {}

void ProgressBar::update(std::size_t done, const std::string& status) {
  if (sink_.out == nullptr || !sink_.terminal) return;
  const int percent = total_ == 0 ? 100 : static_cast<int>(100 * done / total_);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  draw(done, status);
}

void ProgressBar::finish(const std::string& status) {
  if (sink_.out == nullptr) return;
  if (sink_.terminal) {
    draw(total_, status);
  } else {
    *sink_.out << label_ << ' ' << status;
  }
  *sink_.out << '\n';
  sink_.out->flush();
}

void ProgressBar::draw(std::size_t done, const std::string& status) {
  const std::size_t filled = total_ == 0 ? kBarWidth : kBarWidth * done / total_;
  const std::size_t percent = total_ == 0 ? 100 : 100 * done / total_;
  std::string bar(kBarWidth, '.');
  for (std::size_t i = 0; i < filled && i < bar.size(); ++i) bar[i] = '#';
  *sink_.out << '\r' << label_ << " [" << bar << "] " << percent << "% " << status << "   ";
  sink_.out->flush();
}

}  // namespace zooter::adapters::router
