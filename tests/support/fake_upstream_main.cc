// zooter_fake_upstream [PORT [THREADS]]: the tests' fake model server as a standalone process,
// for bench/proxy_bench.sh and the SDK check (tests/sdk). Serves 127.0.0.1:PORT (default 18081;
// 0: an ephemeral port, printed) until SIGINT or SIGTERM.
//
// Besides the default routes, POST /flaky/v1/chat/completions answers every other request (the
// first, third, ...) with 429 and the headers the OpenAI SDKs retry by (retry-after-ms: 10,
// x-should-retry: true), and the others as /v1/chat/completions does.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "tests/support/fake_upstream.h"

int main(int argc, char** argv) {
  const unsigned long port = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 18081;
  const unsigned long threads = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1;
  if (port > 65535 || threads == 0 || threads > 64) {
    std::fprintf(stderr, "usage: zooter_fake_upstream [PORT [THREADS]]\n");
    return 2;
  }
  // Block the signals before the server threads start, so only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  zooter::testing::FakeUpstream upstream(static_cast<unsigned short>(port), static_cast<unsigned>(threads));
  auto flaky_calls = std::make_shared<std::atomic<unsigned long>>(0);
  upstream.set_handler("/flaky/v1/chat/completions", [flaky_calls](const zooter::testing::Request& request) {
    if (flaky_calls->fetch_add(1) % 2 == 0) {
      return zooter::testing::Reply{
          429,
          "application/json",
          R"({"error":{"message":"rate limited on purpose","type":"rate_limit_error","code":"rate_limit_exceeded"}})",
          {{"retry-after-ms", "10"}, {"x-should-retry", "true"}}};
    }
    return zooter::testing::fake_chat_completion(request);
  });
  std::fprintf(stderr, "zooter_fake_upstream: listening on %s\n", upstream.base_url().c_str());
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}
