// zooter_fake_upstream [PORT [THREADS]]: the tests' fake model server as a standalone process,
// for bench/proxy_bench.sh. Serves 127.0.0.1:PORT (default 18081) until SIGINT or SIGTERM.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
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
  std::fprintf(stderr, "zooter_fake_upstream: listening on %s\n", upstream.base_url().c_str());
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}
