// The message of the InputError a bundle load throws, for tests of the loader's errors.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "harness/bundle_loader.h"
#include "harness/error.h"

namespace zooter::test {

// what() of the InputError load_bundle throws; a test failure (and "") when it loads.
inline std::string load_error(const std::string& dir, const LoadOptions& options = {}) {
  try {
    (void)load_bundle(dir, options);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << dir << " loaded, but an InputError was expected";
  return "";
}

}  // namespace zooter::test
