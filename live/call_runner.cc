#include "live/call_runner.h"

#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "live/http_client.h"
#include "live/live_progress.h"
#include "live/tls_context.h"

namespace zooter::live {
namespace {

namespace asio = boost::asio;

// State shared by the workers; everything behind `mutex`.
struct Run {
  const std::vector<EndpointSlots>& endpoints;
  const std::vector<Call>& calls;
  const RunnerOptions& options;
  const std::function<void(std::size_t, const CallOutcome&)>& on_done;
  asio::io_context& io;
  const std::vector<std::unique_ptr<asio::ssl::context>>& tls;  // per endpoint; null for http

  std::mutex mutex;
  std::vector<std::deque<std::size_t>> queues;  // per endpoint: call indices still to start
  std::size_t finished = 0;
  std::size_t failed = 0;
  std::exception_ptr error;
  bool stopping = false;
  LiveProgress progress;

  Run(const std::vector<EndpointSlots>& e, const std::vector<Call>& c, const RunnerOptions& o,
      const std::function<void(std::size_t, const CallOutcome&)>& d, asio::io_context& i,
      const std::vector<std::unique_ptr<asio::ssl::context>>& t)
      : endpoints(e), calls(c), options(o), on_done(d), io(i), tls(t),
        progress(o.progress, o.progress_label, o.already_done + c.size(), o.already_done) {}

  bool next(std::size_t endpoint, std::size_t& call) {
    std::lock_guard lock(mutex);
    if (stopping || queues[endpoint].empty()) return false;
    call = queues[endpoint].front();
    queues[endpoint].pop_front();
    return true;
  }

  void done(std::size_t call, const CallOutcome& outcome) {
    std::lock_guard lock(mutex);
    if (stopping) return;
    try {
      on_done(call, outcome);
    } catch (...) {
      error = std::current_exception();
      stopping = true;
      io.stop();
      return;
    }
    ++finished;
    failed += outcome.ok ? 0 : 1;
    progress.update(finished, failed);
  }
};

std::string status_text(int status, const std::string& body) {
  std::string excerpt = body.substr(0, 200);
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return fmt::format("HTTP {}: {}", status, excerpt);
}

asio::awaitable<void> worker(Run& run, std::size_t endpoint) {
  const EndpointSlots& slots = run.endpoints[endpoint];
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  HttpConnection connection(executor, slots.base_url, run.tls[endpoint].get(), run.options.max_response_bytes);
  asio::steady_timer timer(executor);
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(slots.timeout_seconds * 1000.0));
  std::size_t index = 0;
  while (run.next(endpoint, index)) {
    const Call& call = run.calls[index];
    CallOutcome outcome;
    for (int attempt = 0;; ++attempt) {
      const auto start = std::chrono::steady_clock::now();
      // Arguments as named locals: g++ 12 mishandles temporaries inside co_await expressions.
      std::string target = slots.base_url.target(call.target);
      std::string body = call.body;
      std::string key = slots.api_key;
      HttpResult result = co_await connection.post(std::move(target), std::move(body), std::move(key), timeout);
      outcome.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      outcome.attempts = attempt + 1;
      outcome.status = result.status;
      outcome.ok = result.status >= 200 && result.status <= 299;
      outcome.body = std::move(result.body);
      outcome.error = result.status == 0 ? result.error : (outcome.ok ? "" : status_text(result.status, outcome.body));
      const bool retryable = result.status == 0 ? result.retryable : is_retryable_status(result.status);
      if (outcome.ok || !retryable || attempt >= slots.max_retries) break;
      std::optional<double> retry_after;
      if (!result.retry_after.empty()) {
        retry_after = parse_retry_after(result.retry_after, std::chrono::system_clock::now());
      }
      const double delay = retry_delay_seconds(run.options.retry, call.id, attempt + 1, retry_after);
      timer.expires_after(std::chrono::microseconds(static_cast<long long>(delay * 1e6)));
      co_await timer.async_wait(asio::use_awaitable);
    }
    run.done(index, outcome);
  }
}

}  // namespace

void run_calls(const std::vector<EndpointSlots>& endpoints, const std::vector<Call>& calls,
               const RunnerOptions& options, const std::function<void(std::size_t, const CallOutcome&)>& on_done) {
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  // Declared before the io_context so that they outlive any coroutine frame the context destroys.
  std::vector<std::unique_ptr<asio::ssl::context>> tls(endpoints.size());
  for (std::size_t e = 0; e < endpoints.size(); ++e) {
    if (endpoints[e].base_url.scheme == "https") tls[e] = make_tls_context(endpoints[e].ca_file);
  }
  asio::io_context io(static_cast<int>(threads));
  Run run(endpoints, calls, options, on_done, io, tls);
  run.queues.resize(endpoints.size());
  for (std::size_t i = 0; i < calls.size(); ++i) run.queues[calls[i].endpoint].push_back(i);
  for (std::size_t e = 0; e < endpoints.size(); ++e) {
    const std::size_t slots = std::min(endpoints[e].max_concurrency, run.queues[e].size());
    for (std::size_t s = 0; s < slots; ++s) {
      asio::co_spawn(io, worker(run, e), [&run](std::exception_ptr error) {
        if (!error) return;
        std::lock_guard lock(run.mutex);
        if (!run.error) run.error = error;
        run.stopping = true;
        run.io.stop();
      });
    }
  }
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& t : pool) t.join();
  if (run.error) std::rethrow_exception(run.error);
  run.progress.finish(run.finished, run.failed);
}

}  // namespace zooter::live
