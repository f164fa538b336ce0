// `zooter serve` as a process: options, the listening line, and SIGTERM with a request in flight
// (the real signal path, which the in-process ProxyServer tests cannot take).
#include <gtest/gtest.h>
#include <fcntl.h>  // for O_WRONLY in posix_spawn_file_actions_addopen
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_paths.h"
#include "cli/command.h"
#include "tests/helpers.h"
#include "tests/support/fake_upstream.h"

extern char** environ;

namespace zooter::live {
namespace {

using namespace std::chrono_literals;

std::string endpoints_json(unsigned short port) {
  return R"({"candidates": [{"name": "alpha", "base_url": "http://127.0.0.1:)" + std::to_string(port) +
         R"(/v1", "model": "alpha-model"}]})";
}

// A child process running `zooter ARGS` with stderr to a file; killed if still running at the end.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::string& stderr_path) {
    std::vector<char*> argv;
    std::string binary = zooter::test::zooter_binary();
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) pid_ = -1;
  }
  ~Child() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  [[nodiscard]] pid_t pid() const { return pid_; }
  // The exit status, or -1 if it has not exited within `timeout`.
  int wait_exit(std::chrono::milliseconds timeout) {
    for (auto waited = 0ms; waited < timeout; waited += 10ms) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
};

// The port from "listening on http://127.0.0.1:PORT", waiting (bounded) for the line.
unsigned short listening_port(const std::string& stderr_path) {
  const std::regex line(R"(listening on http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 1000; ++i) {
    std::ifstream in(stderr_path);
    std::stringstream text;
    text << in.rdbuf();
    std::smatch m;
    const std::string s = text.str();
    if (std::regex_search(s, m, line)) return static_cast<unsigned short>(std::stoi(m[1]));
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

TEST(ServeCommandTest, SigtermLetsTheRequestInFlightFinishAndExitsZero) {
  test::TempDir dir;
  testing::FakeUpstream upstream;
  upstream.set_delay(400ms);
  test::write_file(dir.file("endpoints.json"), endpoints_json(upstream.port()));
  Child child({"serve", "--endpoints", dir.file("endpoints.json"), "--default-model", "alpha", "--listen",
               "127.0.0.1:0", "--threads", "1", "--access-log"},
              dir.file("stderr.txt"));
  ASSERT_GT(child.pid(), 0);
  const unsigned short port = listening_port(dir.file("stderr.txt"));
  ASSERT_NE(port, 0) << test::read_file(dir.file("stderr.txt"));
  const std::string body = R"({"model":"auto","messages":[{"role":"user","content":"hi"}]})";
  auto in_flight = std::async(std::launch::async, [&] {
    return testing::loopback_request(port, "POST", "/v1/chat/completions", body);
  });
  for (int i = 0; i < 400 && upstream.requests_received() == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(upstream.requests_received(), 1u);
  ASSERT_EQ(kill(child.pid(), SIGTERM), 0);
  const testing::LoopbackResponse r = in_flight.get();
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("x-zooter-model"), "alpha");
  EXPECT_EQ(child.wait_exit(10s), 0);
  const std::string log = test::read_file(dir.file("stderr.txt"));
  EXPECT_NE(log.find(R"({"method":"POST","target":"/v1/chat/completions","status":200,"model":"alpha","ms":)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("zooter serve: stopped"), std::string::npos) << log;
}

TEST(ServeCommandTest, UsageErrors) {
  test::TempDir dir;
  test::write_file(dir.file("endpoints.json"), endpoints_json(1));
  const std::string endpoints = dir.file("endpoints.json");
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"serve", "--endpoints", endpoints}, 2, "--router is needed unless --default-model names a candidate"},
      {{"serve", "--endpoints", endpoints, "--default-model", "alpha", "--listen", "nowhere"}, 2,
       "--listen \"nowhere\": expected HOST:PORT"},
      {{"serve", "--endpoints", endpoints, "--default-model", "alpha", "--auth-token-env", "ZOOTER_NO_SUCH_VAR_9"},
       2, "environment variable ZOOTER_NO_SUCH_VAR_9 is unset or empty"},
      {{"serve", "--endpoints", endpoints, "--default-model", "beta"}, 1,
       "--default-model \"beta\" is neither auto nor a candidate"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.back());
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_main(c.args, out, err), c.code);
    EXPECT_NE(err.str().find(c.message), std::string::npos) << err.str();
  }
}

}  // namespace
}  // namespace zooter::live
