// Rule loading: every shipped rule file (`load_rules("rules")`: the workflows
// and the business calendars under rules/calendars), and the dispatch
// suite's one-file twin for scale.
#include <benchmark/benchmark.h>

#include "bench_util.hpp"
#include "caseflow/rules.hpp"

namespace {

void load_shipped_rules(benchmark::State& state) {
    const auto dir = caseflow::bench::source_dir() / "rules";
    std::size_t files = 0;
    for (auto _ : state) {
        auto r = caseflow::load_rules(dir);
        files = r.files().size();
        benchmark::DoNotOptimize(r);
    }
    state.counters["files"] = static_cast<double>(files);
}
BENCHMARK(load_shipped_rules)->Unit(benchmark::kMillisecond);

void load_bench_twin(benchmark::State& state) {
    const auto file = caseflow::bench::source_dir() / "bench/rules/complaint_bench.yaml";
    for (auto _ : state) benchmark::DoNotOptimize(caseflow::load_rules(file));
}
BENCHMARK(load_bench_twin)->Unit(benchmark::kMicrosecond);

}  // namespace
