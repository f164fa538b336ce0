#include "live/live_progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace zooter::live {
namespace {

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

}  // namespace

namespace {

// How many tenths (kPlainLinesPerRun-ths) of `total` are done; every tenth when total is 0.
std::size_t tenths_done(std::size_t done, std::size_t total) {
  if (total == 0) return LiveProgress::kPlainLinesPerRun;
  return std::min(done, total) * LiveProgress::kPlainLinesPerRun / total;
}

}  // namespace

LiveProgress::LiveProgress(ProgressOutput out, std::string label, std::size_t total, std::size_t already_done)
    : out_(out), label_(std::move(label)), total_(total), already_(already_done),
      start_(std::chrono::steady_clock::now()), last_tenth_(tenths_done(already_done, total)) {}

std::string LiveProgress::line(const std::string& label, std::size_t done, std::size_t total,
                               std::size_t failed, double rate, double eta_seconds) {
  const double percent = total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total);
  std::string text = fmt::format("{}/{} {} {:3.0f}%  {:.1f}/s  ETA {}", done, total, label, percent, rate,
                                 duration_text(eta_seconds));
  if (failed > 0) text += fmt::format("  ({} failed)", failed);
  return text;
}

void LiveProgress::update(std::size_t done_now, std::size_t failed) {
  if (!out_.terminal) {
    // The last tenth is finish()'s line, so a run that ends prints it once.
    const std::size_t done = already_ + done_now;
    const std::size_t tenth = tenths_done(done, total_);
    if (tenth <= last_tenth_ || done >= total_) return;
    last_tenth_ = tenth;
    draw(done_now, failed, false);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;  // a terminal needs no more
  last_draw_ = now;
  draw(done_now, failed, false);
}

void LiveProgress::finish(std::size_t done_now, std::size_t failed) { draw(done_now, failed, true); }

void LiveProgress::draw(std::size_t done_now, std::size_t failed, bool final) {
  if (out_.stream == nullptr) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_now) / elapsed : 0.0;
  const std::size_t done = already_ + done_now;
  const double eta = rate > 0 ? static_cast<double>(total_ - std::min(total_, done)) / rate
                              : (done >= total_ ? 0.0 : NAN);
  std::ostream& out = *out_.stream;
  if (out_.terminal) {
    out << '\r' << line(label_, done, total_, failed, rate, eta) << "    ";
    if (final) out << '\n';
  } else {
    out << line(label_, done, total_, failed, rate, eta) << '\n';
  }
  out.flush();
}

}  // namespace zooter::live
