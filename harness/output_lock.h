// Keeps a second writer out of an output directory: `zooter collect` and `zooter score` each
// hold one for the whole run, so two runs into the same OUT cannot both call the servers and
// interleave one journal.
//
// The lock is flock(2) on OUT/.zooter.lock, taken without waiting. The kernel releases it when
// the process ends however it ends (kill -9 included), so a lock is never stale and nothing has
// to be cleaned up; the file itself stays (it holds the last holder's pid and command, which
// the message for a refused writer names) and is reused by the next run.
#pragma once

#include <string>

namespace zooter {

inline constexpr const char* kOutputLockFile = ".zooter.lock";

class OutputLock {
 public:
  // Creates `dir` (and parents) if needed and takes its lock for `command` ("collect",
  // "score"). Throws InputError "DIR: another zooter COMMAND (pid N) is writing into this
  // directory ..." when another process, or another OutputLock of this one, holds it.
  OutputLock(const std::string& dir, const std::string& command);
  ~OutputLock();  // releases the lock; never throws
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace zooter
