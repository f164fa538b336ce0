// Counter-based random numbers: every draw is a pure function of (seed, stream, index).
//
// Nothing in zooter keeps a random engine across items: a result that depends on which thread
// drew first would break byte-identical output for any --threads N. Instead each item asks for
// its own numbers by key, e.g. uniform01(seed, kBootstrapStream, replicate * n + i).
#pragma once

#include <cmath>
#include <cstdint>

namespace zooter::random {

// SplitMix64's finaliser: a bijective 64-bit mixer with full avalanche.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

[[nodiscard]] constexpr std::uint64_t bits(std::uint64_t seed, std::uint64_t stream,
                                           std::uint64_t index) {
  return mix64(mix64(mix64(seed) ^ stream) ^ index);
}

// Uniform in [0, 1) with 53 random bits.
[[nodiscard]] constexpr double uniform01(std::uint64_t seed, std::uint64_t stream,
                                         std::uint64_t index) {
  return static_cast<double>(bits(seed, stream, index) >> 11) * 0x1.0p-53;
}

// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift without rejection: the bias is
// below n / 2^64, far under anything a report can show).
[[nodiscard]] inline std::uint64_t below(std::uint64_t seed, std::uint64_t stream,
                                         std::uint64_t index, std::uint64_t n) {
  __extension__ using u128 = unsigned __int128;  // g++ and clang both have it
  const u128 product = static_cast<u128>(bits(seed, stream, index)) * n;
  return static_cast<std::uint64_t>(product >> 64);
}

// Standard normal by Box-Muller from two keyed uniforms (index 2i and 2i+1 of the stream).
[[nodiscard]] inline double normal(std::uint64_t seed, std::uint64_t stream,
                                   std::uint64_t index) {
  const double u1 = 1.0 - uniform01(seed, stream, 2 * index);  // (0, 1]: log is finite
  const double u2 = uniform01(seed, stream, 2 * index + 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace zooter::random
