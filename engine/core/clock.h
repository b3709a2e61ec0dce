// The one door to the current time. Production passes SystemClock; tests pass a FixedClock
// and move it by hand, so nothing in the engine calls now() on its own.
// Thread-safety: SystemClock is; FixedClock is not (tests drive it from one thread).
#pragma once

#include <chrono>

#include "core/time.h"

namespace docket {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp at) : at_(at) {}
  Timestamp now() const override { return at_; }
  void set(Timestamp at) { at_ = at; }
  void advance(std::chrono::seconds by) { at_ += by; }

 private:
  Timestamp at_;
};

}  // namespace docket
