// OutputLock: one writer per output directory, the refused one told who holds it, and a lock
// that dies with its process (kill -9 included), so it is never stale.
#include "harness/output_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "harness/error.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

std::string lock_error(const std::string& dir, const std::string& command) {
  try {
    OutputLock lock(dir, command);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "locked " << dir << " a second time";
  return "";
}

std::string refusal(const std::string& dir, const std::string& holder) {
  return dir + ": another zooter " + holder +
         " is writing into this directory; wait for it to end, or write into another directory (two runs "
         "into one directory would make every call twice and interleave the journal)";
}

TEST(OutputLockTest, SecondWriterIsRefusedAndNamesTheFirst) {
  test::TempDir tmp;
  const std::string dir = tmp.file("out/nested");
  {
    OutputLock first(dir, "collect");  // creates the directory
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    EXPECT_EQ(lock_error(dir, "score"), refusal(dir, "collect (pid " + std::to_string(::getpid()) + ")"));
    EXPECT_EQ(lock_error(dir, "collect"), refusal(dir, "collect (pid " + std::to_string(::getpid()) + ")"));
  }
  OutputLock again(dir, "score");  // released with the first
  EXPECT_EQ(lock_error(dir, "collect"), refusal(dir, "score (pid " + std::to_string(::getpid()) + ")"));
}

TEST(OutputLockTest, LockOfAKilledProcessIsNotStale) {
  test::TempDir tmp;
  const std::string dir = tmp.file("out");
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::alarm(30);  // bounded even if the test never kills it
    try {
      OutputLock lock(dir, "collect");
      (void)!::write(ready[1], "x", 1);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(1);
    }
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  EXPECT_EQ(lock_error(dir, "score"), refusal(dir, "collect (pid " + std::to_string(child) + ")"));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ::close(ready[0]);
  ::close(ready[1]);
  EXPECT_TRUE(std::filesystem::exists(dir + "/.zooter.lock"));  // the file stays, unlocked
  OutputLock after(dir, "score");
}

}  // namespace
}  // namespace zooter
