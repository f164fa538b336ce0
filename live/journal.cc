#include "live/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ostream>
#include <utility>
#include <vector>

#include "harness/error.h"

namespace zooter::live {
namespace {

bool is_json_object(const std::string& line, std::string* why) {
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  if (d.HasParseError()) {
    if (why) *why = fmt::format("invalid JSON at column {}: {}", d.GetErrorOffset() + 1,
                                rapidjson::GetParseError_En(d.GetParseError()));
    return false;
  }
  if (!d.IsObject()) {
    if (why) *why = "expected a JSON object";
    return false;
  }
  return true;
}

std::string read_all(int fd, const std::string& path) {
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(path, 0, std::string("cannot read the journal: ") + std::strerror(errno));
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(path, 0, std::string("cannot write the journal: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
}

// A line that is not a JSON object before the last one is damage no crash causes (two runs
// writing at once, an edit). Every such line is named at once, with how to repair the journal:
// deleting a record line only makes its call again.
void check_damage(const std::string& path, const std::string& text,
                  const std::vector<std::pair<std::size_t, std::size_t>>& lines) {
  std::vector<std::size_t> damaged;  // 1-based
  std::string first_why;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string why;
    if (!is_json_object(text.substr(lines[i].first, lines[i].second - lines[i].first), &why)) {
      if (damaged.empty()) first_why = why;
      damaged.push_back(i + 1);
    }
  }
  if (damaged.empty()) return;
  if (damaged.front() == 1) {
    throw InputError(path, 1,
                     fmt::format("{}; the journal's header is damaged, which no crash does: delete {} to start "
                                 "over (every call is made again)",
                                 first_why, path));
  }
  constexpr std::size_t kListed = 10;
  std::string list, sed;
  for (std::size_t k = 0; k < damaged.size() && k < kListed; ++k) {
    list += fmt::format("{}{}", k == 0 ? "" : ", ", damaged[k]);
    sed += fmt::format("{}{}d", k == 0 ? "" : ";", damaged[k]);
  }
  std::string remedy;
  if (damaged.size() == 1) {
    remedy = fmt::format("delete that line (sed -i '{}' {}) and rerun: its call is made again", sed, path);
  } else if (damaged.size() <= kListed) {
    remedy = fmt::format("delete those lines (sed -i '{}' {}) and rerun: their calls are made again", sed, path);
  } else {
    list += ", ...";
    remedy = "delete every damaged line and rerun (their calls are made again)";
  }
  throw InputError(path, damaged.front(),
                   fmt::format("{}; {} of the journal {} damaged ({}), which no crash does (two runs writing "
                               "at once, or an edit): {}, or delete {} to start over (every call is made again)",
                               first_why, damaged.size() == 1 ? "1 line" : fmt::format("{} lines", damaged.size()),
                               damaged.size() == 1 ? "is" : "are", list, remedy, path));
}

}  // namespace

Journal::Journal(std::string path, const std::string& identity, std::ostream* warnings)
    : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path_, 0, std::string("cannot open the journal: ") + std::strerror(errno));
  try {
    // One writer per journal, also when --journal puts it outside the (locked) output directory.
    // Released by the kernel with the process, so never stale.
    int locked;
    do {
      locked = ::flock(fd_, LOCK_EX | LOCK_NB);
    } while (locked != 0 && errno == EINTR);
    if (locked != 0) {
      if (errno != EWOULDBLOCK) throw InputError(path_, 0, std::string("cannot lock the journal: ") + std::strerror(errno));
      throw InputError(path_, 0,
                       "another zooter run is appending to this journal; wait for it to end, or give another "
                       "--journal");
    }
    const std::string text = read_all(fd_, path_);
    // Split into lines; remember where each ends so a torn tail can be cut off.
    std::vector<std::pair<std::size_t, std::size_t>> lines;  // [begin, end) without '\n'
    std::size_t begin = 0;
    while (begin < text.size()) {
      const std::size_t nl = text.find('\n', begin);
      if (nl == std::string::npos) {
        lines.emplace_back(begin, text.size());
        break;
      }
      lines.emplace_back(begin, nl);
      begin = nl + 1;
    }
    std::size_t keep = text.size();  // bytes to keep
    if (!lines.empty()) {
      const auto [b, e] = lines.back();
      const std::string last = text.substr(b, e - b);
      std::string why;
      const bool torn = e == text.size() || !is_json_object(last, &why);
      if (torn) {
        if (warnings) {
          *warnings << fmt::format("{}:{}: discarding a torn last line ({}); its call will be made again\n",
                                   path_, lines.size(),
                                   e == text.size() ? "no line end: the writer stopped mid-line" : why);
        }
        keep = b;
        lines.pop_back();
      }
    }
    check_damage(path_, text, lines);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string line = text.substr(lines[i].first, lines[i].second - lines[i].first);
      if (i == 0) {
        if (line != identity) {
          throw InputError(path_, 1,
                           fmt::format("this journal belongs to another job (its header is {}, this run is {}); "
                                       "use another --journal or delete it to start over",
                                       line, identity));
        }
      } else {
        records_.push_back(line);
      }
    }
    if (keep != text.size()) {
      if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0) {
        throw InputError(path_, 0, std::string("cannot truncate the torn line: ") + std::strerror(errno));
      }
    }
    if (::lseek(fd_, static_cast<off_t>(keep), SEEK_SET) < 0) {
      throw InputError(path_, 0, std::string("cannot seek: ") + std::strerror(errno));
    }
    if (lines.empty()) {
      write_all(fd_, identity + "\n", path_);
      sync();
    }
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

Journal::~Journal() {
  if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
  }
}

void Journal::append(const std::string& record) {
  ZOOTER_CHECK(record.find('\n') == std::string::npos);
  write_all(fd_, record + "\n", path_);
  if (++unsynced_ >= kFsyncEvery) sync();
}

void Journal::sync() {
  if (::fsync(fd_) != 0) throw InputError(path_, 0, std::string("cannot fsync the journal: ") + std::strerror(errno));
  unsynced_ = 0;
}

}  // namespace zooter::live
