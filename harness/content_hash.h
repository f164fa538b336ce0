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
  // Four independent lanes over 32-byte stripes (the structure of xxHash64's main loop), so
  // hashing runs at memory speed and costs the loader little.
  void update(std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t n = bytes.size();
    for (; n >= 32; p += 32, n -= 32) {
      for (int i = 0; i < 4; ++i) lane_[i] = round(lane_[i], word(p + 8 * i));
    }
    for (; n >= 8; p += 8, n -= 8) lane_[0] = round(lane_[0], word(p));
    std::uint64_t tail = 0;
    if (n > 0) std::memcpy(&tail, p, n);  // p may be null for an empty view: memcpy from null is UB
    lane_[1] = round(lane_[1], tail ^ (static_cast<std::uint64_t>(n) << 56));
    lane_[2] = round(lane_[2], bytes.size());  // separates ("ab", "c") from ("a", "bc")
    ++count_;
  }

  [[nodiscard]] std::string hex() const {
    static constexpr char kHex[] = "0123456789abcdef";
    const std::uint64_t a = random::mix64(lane_[0] ^ random::mix64(lane_[1]) ^ count_);
    const std::uint64_t b = random::mix64(lane_[2] ^ random::mix64(lane_[3] + count_));
    std::string out;
    for (std::uint64_t v : {a, b}) {
      for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
    }
    return out;
  }

 private:
  static constexpr std::uint64_t kPrime1 = 0x9e3779b185ebca87ULL;
  static constexpr std::uint64_t kPrime2 = 0xc2b2ae3d27d4eb4fULL;

  static std::uint64_t word(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static std::uint64_t round(std::uint64_t lane, std::uint64_t w) {
    lane += w * kPrime2;
    lane = (lane << 31) | (lane >> 33);
    return lane * kPrime1;
  }

  std::uint64_t lane_[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
                            0x082efa98ec4e6c89ULL};
  std::uint64_t count_ = 0;
};

}  // namespace zooter
