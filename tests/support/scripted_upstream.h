// A raw HTTP server for the proxy tests that need answers FakeUpstream cannot give: a chunked
// answer sent in one piece with its head, an answer framed by closing the connection, a body
// cut short, a malformed chunk. Each request read gets the next scripted reply's bytes verbatim.
//
// Binds 127.0.0.1 on an ephemeral port, serves on its own thread, never contacts anything, and
// stops (connections cut) when destroyed.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace zooter::testing {

struct ScriptedReply {
  std::string bytes;          // written as is: status line, headers and body, framing included
  bool close_after = false;   // close the connection once written
  // Write nothing and wait until the client closes the connection (a generation that has not
  // produced its first byte yet); counted by closed_by_client().
  bool hold_until_client_closes = false;
};

class ScriptedUpstream {
 public:
  // Requests are answered with `replies` in order, one each, on whichever connection they came;
  // a request past the last reply gets its connection closed without an answer.
  explicit ScriptedUpstream(std::vector<ScriptedReply> replies);
  ~ScriptedUpstream();
  ScriptedUpstream(const ScriptedUpstream&) = delete;
  ScriptedUpstream& operator=(const ScriptedUpstream&) = delete;

  [[nodiscard]] unsigned short port() const;
  [[nodiscard]] std::size_t requests_received() const;
  [[nodiscard]] std::size_t connections_accepted() const;
  // Connections the client closed (or reset), seen by a read.
  [[nodiscard]] std::size_t closed_by_client() const;
  // Connections this server closed after a reply with close_after, or unanswered past the script.
  [[nodiscard]] std::size_t closed_by_server() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zooter::testing
