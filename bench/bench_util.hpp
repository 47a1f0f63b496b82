// Helpers shared by the engine benchmarks: where the source tree is (rule
// files), peak RSS, and the fixed instants every suite starts from.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "caseflow/time.hpp"

namespace caseflow::bench {

/// The source tree: $CASEFLOW_SOURCE_DIR, else the directory above this file.
inline std::filesystem::path source_dir() {
    if (const char* env = std::getenv("CASEFLOW_SOURCE_DIR"); env && *env) return env;
    return std::filesystem::path(__FILE__).parent_path().parent_path();
}

/// A field of /proc/self/status in KiB (VmHWM: peak RSS, VmRSS: current), or -1.
inline long proc_status_kib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.compare(0, key.size(), key) == 0) return std::strtol(line.c_str() + key.size(), nullptr, 10);
    return -1;
}

/// 2026-09-30T00:00:00Z: a fixed start, so runs are deterministic.
inline instant bench_t0() { return instant{duration{1'790'726'400'000}}; }

}  // namespace caseflow::bench
