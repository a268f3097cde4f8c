// How a long batch run talks to its caller: a cancellation check (the PostgreSQL layer maps
// it to CHECK_FOR_INTERRUPTS, which throws to cancel) and progress reports.
#pragma once

#include <cstdint>
#include <functional>

namespace dedupe::match {

struct Progress {
  const char* stage = "";  // 'reading', 'training', 'blocking', 'scoring', 'clustering'
  uint64_t rows = 0;
  uint64_t pairs = 0;
  uint64_t clusters = 0;
  bool final = false;  // the run's summary: reported when the run took long enough to matter
};

struct RunControl {
  std::function<void()> check_interrupt = [] {};
  std::function<void(const Progress&)> progress = [](const Progress&) {};
};

// Calls check_interrupt every `every` ticks (cheap enough for inner loops).
class InterruptTicker {
 public:
  InterruptTicker(const RunControl& control, uint32_t every = 4096)
      : control_(control), every_(every) {}
  void tick() {
    if (++count_ >= every_) {
      count_ = 0;
      control_.check_interrupt();
    }
  }

 private:
  const RunControl& control_;
  uint32_t every_;
  uint32_t count_ = 0;
};

}  // namespace dedupe::match
