// Memory: 1,000,000 open cases with 4 attributes (with and without 2 pending
// deadlines each, with and without history, with engine-derived or host-given
// case names), measured as peak RSS (VmHWM) of a fresh process, so nothing an
// earlier benchmark allocated counts.  The row
// re-runs this executable with CASEFLOW_MEM_CHILD set; the child runs only
// the hidden `memory_child` benchmark, which opens the cases, prints one
// `CASEFLOW_MEM ...` line and exits.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include <benchmark/benchmark.h>

#include "bench_util.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/error.hpp"
#include "caseflow/rules.hpp"

namespace {

using caseflow::bench::proc_status_kib;

// Four attributes of the usual kinds: an enum, two strings (the phone is
// unique per case, the owner one of 50 agents) and an instant.
std::string workflow_yaml(bool deadlines) {
    std::string y = R"(workflow: cmem
version: 1
attributes:
  severity:      { type: enum, values: [minor, normal, major], default: normal }
  phone:         { type: string, required: true }
  owner:         { type: string }
  next_reply_at: { type: instant }
events: [facts_established, overdue, solved]
initial: received
states:
  received:
)";
    if (deadlines)
        y += R"(    deadlines:
      - { name: first_response, after: 4h, event: overdue }
      - { name: promised_reply, at: next_reply_at, actions: [ { escalate: { to: supervisor, reason: promised reply overdue } } ] }
)";
    y += R"(    on:
      facts_established: investigating
  investigating:
    on:
      solved: closed
  closed:
    final: true
)";
    return y;
}

std::size_t case_target() {
    // CASEFLOW_BENCH_SMOKE: CI runs every row once, small.
    return std::getenv("CASEFLOW_BENCH_SMOKE") ? 10'000 : 1'000'000;
}

// --- the child: open the cases, report, exit ----------------------------------

void memory_child(benchmark::State& state) {
    const std::string spec = std::getenv("CASEFLOW_MEM_CHILD");  // "<history> <deadlines> <names>", each 0|1
    const bool history = spec.size() > 0 && spec[0] == '1';
    const bool deadlines = spec.size() > 2 && spec[2] == '1';
    const bool named = spec.size() > 4 && spec[4] == '1';
    const std::size_t n = case_target();
    std::ostringstream out;
    out << "CASEFLOW_MEM";
    try {
        auto rules = caseflow::load_rules_from_string(workflow_yaml(deadlines), "memory_bench.yaml");
        const auto t0 = caseflow::bench::bench_t0();
        auto attrs = [&](std::size_t i) {
            static const char* const sev[] = {"minor", "normal", "major"};
            char phone[16];
            std::snprintf(phone, sizeof phone, "138%08zu", i);
            return caseflow::value_map{{"severity", caseflow::value::enumeration(sev[i % 3])},
                                       {"phone", caseflow::value(std::string(phone))},
                                       {"owner", caseflow::value("A" + std::to_string(i % 50))},
                                       {"next_reply_at", caseflow::value(t0 + std::chrono::hours(48) + std::chrono::seconds(i))}};
        };
        const long base_kib = proc_status_kib("VmRSS");
        caseflow::engine eng(rules, caseflow::engine_options{history, 100});
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < n; ++i) {
            char name[16];
            if (named) std::snprintf(name, sizeof name, "C-%07zu", i);
            eng.open("cmem", attrs(i), t0, named ? name : "");
        }
        const double armed = static_cast<double>(eng.pending_timers()) / static_cast<double>(n);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        out << " ok=1 cases=" << eng.case_count() << " armed=" << armed << " base_kib=" << base_kib
            << " hwm_kib=" << proc_status_kib("VmHWM") << " rss_kib=" << proc_status_kib("VmRSS") << " open_s=" << secs;
    } catch (const std::exception& e) {
        std::string what = e.what();
        for (char& ch : what)
            if (ch == '\n') ch = ' ';
        out << " ok=0 error=" << what.substr(0, 200);  // last: the rest of the line
    }
    std::printf("%s\n", out.str().c_str());
    std::fflush(stdout);
    std::_Exit(0);
    for (auto _ : state) {
    }
}

// Registered only in the child, so the parent's listing stays clean.
const bool child_registered = [] {
    if (std::getenv("CASEFLOW_MEM_CHILD")) benchmark::RegisterBenchmark("memory_child", memory_child)->Iterations(1);
    return true;
}();

// --- the parent: one row per configuration ------------------------------------

std::map<std::string, std::string> run_child(bool history, bool deadlines, bool named) {
    char self[4096];
    const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    std::map<std::string, std::string> kv;
    if (len <= 0) return kv;
    self[len] = 0;
    std::string cmd = std::string("CASEFLOW_MEM_CHILD='") + (history ? "1" : "0") + " " + (deadlines ? "1" : "0") + " " +
                      (named ? "1" : "0") + "' '" + self + "' --benchmark_filter='^memory_child' 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return kv;
    char line[1024];
    while (std::fgets(line, sizeof line, p)) {
        std::string s(line);
        if (s.rfind("CASEFLOW_MEM ", 0) != 0) continue;
        if (auto err = s.find(" error="); err != std::string::npos) {
            kv["error"] = s.substr(err + 7, s.find_last_not_of("\n") - err - 6);
            s.erase(err);
        }
        std::istringstream in(s.substr(13));
        std::string tok;
        while (in >> tok)
            if (auto eq = tok.find('='); eq != std::string::npos) kv[tok.substr(0, eq)] = tok.substr(eq + 1);
    }
    pclose(p);
    return kv;
}

void memory_cases(benchmark::State& state, bool history, bool deadlines, bool named) {
    (void)child_registered;
    std::map<std::string, std::string> kv;
    for (auto _ : state) kv = run_child(history, deadlines, named);
    if (kv["ok"] != "1") {
        state.SkipWithError(kv.count("error") ? ("child failed: " + kv["error"]).c_str() : "child process failed");
        return;
    }
    const double cases = std::stod(kv["cases"]);
    const double hwm = std::stod(kv["hwm_kib"]), base = std::stod(kv["base_kib"]);
    state.counters["cases"] = cases;
    state.counters["peak_rss_MiB"] = hwm / 1024;
    state.counters["base_rss_MiB"] = base / 1024;
    state.counters["bytes_per_case"] = (hwm - base) * 1024 / cases;
    state.counters["pending_timers_per_case"] = std::stod(kv["armed"]);
    state.counters["opens_per_s"] = cases / std::stod(kv["open_s"]);
}
// The target row is deadlines_history: 4 attributes, 2 pending deadlines, the
// engine's default options.
BENCHMARK_CAPTURE(memory_cases, no_history, false, false, false)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(memory_cases, deadlines_no_history, false, true, false)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(memory_cases, deadlines_history, true, true, false)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(memory_cases, deadlines_history_named, true, true, true)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
