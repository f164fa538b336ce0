// The append-only journal that makes `zooter collect` and `zooter score` resumable.
//
// One JSON object per line. Line 1 is the header: the job's identity (a hash of its inputs and
// a readable description), so a rerun with other inputs refuses to append to a foreign journal.
// Every other line is one finished call, written by the caller as a JSON object.
//
// Durability: each line goes to the kernel with one write(2) as soon as it is appended, so a
// `kill -9` of the process loses nothing that was appended. fsync(2) runs every kFsyncEvery
// lines and on close, so a power loss or OS crash can lose at most the lines since the last
// fsync: those calls are made again on the rerun, never recorded twice (the last record of a key
// wins) and never half-recorded (a torn last line is dropped on open).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace zooter::live {

inline constexpr std::size_t kFsyncEvery = 32;

class Journal {
 public:
  // Opens (creating if needed) the journal at `path` for the job `identity` (a compact JSON
  // object). Existing lines are replayed into records(). A torn last line (no trailing newline,
  // or invalid JSON on the last line only) is reported on `warnings` and truncated away. Throws
  // InputError "path:line: message" for an invalid line elsewhere, and for a header whose
  // identity differs from `identity`.
  Journal(std::string path, const std::string& identity, std::ostream* warnings);
  ~Journal();  // fsyncs and closes; never throws
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The record lines found on open (without the header and without line ends), in file order.
  [[nodiscard]] const std::vector<std::string>& records() const { return records_; }

  // Appends one record (a JSON object without newlines). Throws InputError on I/O failure.
  void append(const std::string& record);
  // fsyncs now.
  void sync();

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::size_t unsynced_ = 0;
  std::vector<std::string> records_;
};

}  // namespace zooter::live
