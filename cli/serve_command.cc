// zooter serve: runs a trained router as an OpenAI-compatible proxy in front of the candidates
// of an endpoints file (docs/live-serve.md). Blocks until SIGTERM or SIGINT.
#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <ostream>

#include "adapters/router/concurrent_router.h"
#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"
#include "live/endpoints_file.h"
#include "live/proxy_server.h"

namespace zooter::cli {
namespace {

// "HOST:PORT", "[IPV6]:PORT" or ":PORT" (loopback).
std::pair<std::string, unsigned short> parse_listen(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw UsageError(fmt::format("--listen \"{}\": expected HOST:PORT", text));
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 || port_text.empty()) {
    throw UsageError(fmt::format("--listen \"{}\": bad port", text));
  }
  return {host, static_cast<unsigned short>(port)};
}

// Timeouts and grace periods: up to a day.
constexpr double kMaxSeconds = 86400.0;

std::chrono::milliseconds seconds_option(const po::variables_map& values, const char* name) {
  const double s = values[name].as<double>();  // checked by parse_options
  return std::chrono::milliseconds(static_cast<long long>(s * 1000.0));
}

}  // namespace

int run_serve(const Invocation& invocation) {
  namespace router = adapters::router;
  const live::ProxyConfig defaults;
  po::options_description description("serve options");
  description.add_options()
      ("router", po::value<std::string>(), "router file written by zooter train (needed for model \"auto\")")
      ("endpoints", po::value<std::string>()->required(), "endpoints file naming each candidate's server")
      ("listen", po::value<std::string>()->default_value("127.0.0.1:8080"), "address and port to serve on")
      ("threads", checked<unsigned>(nullptr, {.min = 1, .max = kMaxIoThreads})->default_value(defaults.threads), "worker threads")
      ("auth-token-env", po::value<std::string>()->default_value(""),
       "environment variable holding the bearer token clients must send (empty: no auth)")
      ("max-body-bytes", checked<std::size_t>(nullptr, {.min = 1})->default_value(defaults.max_body_bytes), "larger bodies get 413")
      ("max-header-bytes", checked<std::size_t>(nullptr, {.min = 1})->default_value(defaults.max_header_bytes),
       "larger request heads get 431")
      ("max-connections", checked<std::size_t>(nullptr, {.min = 1})->default_value(defaults.max_connections),
       "connections beyond this get 503 and are closed")
      ("upstream-timeout", checked<double>(nullptr, {.min = 0, .max = kMaxSeconds})->default_value(0.0, "0"),
       "seconds to wait for an upstream's next bytes (0: each candidate's timeout_seconds)")
      ("header-timeout", checked<double>(nullptr, {.min = 0, .max = kMaxSeconds, .exclusive_min = true})->default_value(10.0, "10"),
       "seconds a client gets to send a request's line and headers")
      ("client-timeout", checked<double>(nullptr, {.min = 0, .max = kMaxSeconds, .exclusive_min = true})->default_value(30.0, "30"),
       "seconds to wait for a request's body, the next request on a kept-alive connection, or a read")
      ("shutdown-grace", checked<double>(nullptr, {.min = 0, .max = kMaxSeconds})->default_value(10.0, "10"),
       "seconds requests in flight get to finish after SIGTERM")
      ("default-model", po::value<std::string>()->default_value(defaults.default_model),
       "model for requests naming none: auto (the router) or a candidate")
      ("access-log", po::bool_switch(), "one JSON line per request on stderr");
  const ParsedOptions parsed = parse_options(invocation, description, {});
  if (parsed.help) {
    print_help(invocation.out, "serve", "--router ROUTER --endpoints FILE [OPTIONS]",
               "Serves an OpenAI-compatible API that routes each chat request to a candidate.", description);
    return 0;
  }
  const po::variables_map& values = parsed.values;
  live::ProxyConfig config;
  std::tie(config.listen_host, config.listen_port) = parse_listen(values["listen"].as<std::string>());
  config.threads = values["threads"].as<unsigned>();
  config.max_body_bytes = values["max-body-bytes"].as<std::size_t>();
  config.max_header_bytes = values["max-header-bytes"].as<std::size_t>();
  config.max_connections = values["max-connections"].as<std::size_t>();
  config.upstream_timeout = seconds_option(values, "upstream-timeout");
  config.header_timeout = seconds_option(values, "header-timeout");
  config.client_timeout = seconds_option(values, "client-timeout");
  config.shutdown_grace = seconds_option(values, "shutdown-grace");
  config.default_model = values["default-model"].as<std::string>();
  if (const std::string var = values["auth-token-env"].as<std::string>(); !var.empty()) {
    const char* token = std::getenv(var.c_str());
    if (token == nullptr || *token == '\0') {
      throw UsageError(fmt::format("--auth-token-env: environment variable {} is unset or empty", var));
    }
    config.auth_token = token;
  }

  const std::string endpoints_path = values["endpoints"].as<std::string>();
  std::vector<live::CandidateEndpoint> candidates = live::load_endpoints_file(endpoints_path).candidates;
  live::RouteFunction route;
  if (values.count("router") != 0) {
    auto loaded = std::make_shared<router::ConcurrentRouter>(
        std::make_shared<const router::Router>(router::load_router(values["router"].as<std::string>())));
    // The router's outputs in endpoint order; every candidate it can pick needs an endpoint.
    std::vector<std::size_t> endpoint_of;
    for (const std::string& name : loaded->router().candidates()) {
      const auto found = std::find_if(candidates.begin(), candidates.end(),
                                      [&](const live::CandidateEndpoint& c) { return c.name == name; });
      if (found == candidates.end()) {
        throw InputError(endpoints_path, 0, fmt::format("no endpoint for the router's candidate \"{}\"", name));
      }
      endpoint_of.push_back(static_cast<std::size_t>(found - candidates.begin()));
    }
    // Each worker borrows a routing state for the call: making one per request (its bucket
    // bitmap cleared anew) was the largest allocation of the request path.
    route = [loaded, endpoint_of](std::string_view text) { return endpoint_of[loaded->route(text)]; };
  } else if (config.default_model == "auto") {
    throw UsageError("--router is needed unless --default-model names a candidate");
  } else {
    // No router: "auto" means the default candidate.
    const std::string fallback = config.default_model;
    std::size_t index = 0;
    while (index < candidates.size() && candidates[index].name != fallback) ++index;
    route = [index](std::string_view) { return index; };
  }

  const std::size_t count = candidates.size();
  live::ProxyServer server(config, std::move(candidates), route,
                           values["access-log"].as<bool>() ? &invocation.err : nullptr);
  server.stop_on_signals();
  server.start();
  invocation.err << fmt::format("zooter serve: listening on http://{}:{} ({} candidates, {} threads{})\n",
                                config.listen_host, server.port(), count, config.threads,
                                config.auth_token.empty() ? "" : ", bearer auth")
                 << std::flush;
  server.wait();
  invocation.err << "zooter serve: stopped\n";
  return 0;
}

}  // namespace zooter::cli
