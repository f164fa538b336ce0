// A fast, non-cryptographic 128-bit digest of a bundle's content, for provenance: two reports
// with the same hash were computed from the same data. Lines are hashed without their line
// ends, so a CRLF copy of a bundle hashes like the original.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "harness/random.h"

namespace zooter {

class ContentHash {
 public:
  void update(std::string_view bytes) {
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i, 8);
      absorb(word);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
    absorb(tail ^ (static_cast<std::uint64_t>(bytes.size() - i) << 56));
    absorb(0x5a17ed0fULL);  // separator: ("ab", "c") and ("a", "bc") differ
  }

  [[nodiscard]] std::string hex() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::uint64_t v : {random::mix64(a_ ^ count_), random::mix64(b_ + count_)}) {
      for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
    }
    return out;
  }

 private:
  void absorb(std::uint64_t word) {
    a_ = random::mix64(a_ ^ word);
    b_ = random::mix64(b_ + word * 0x9e3779b97f4a7c15ULL);
    ++count_;
  }

  std::uint64_t a_ = 0x243f6a8885a308d3ULL;
  std::uint64_t b_ = 0x13198a2e03707344ULL;
  std::uint64_t count_ = 0;
};

}  // namespace zooter
