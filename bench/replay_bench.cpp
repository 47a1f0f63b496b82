// Replay: the histories of 1024 complaint cases (bench/rules/complaint_bench
// .yaml, the dispatch suite's lifecycle) rebuilt through a fresh engine, with
// no action sink (no side effects).  Three depths, records/s each, where a
// record is one history entry the replay rebuilds:
//   replay_apply         inputs already decoded (ids, values): the engine alone
//   replay_decode_apply  decoded from the in-memory rendered timeline, then applied
//   replay_yaml          engine::export_history YAML through caseflow::replay_string,
//                        the only replay entry point the public API has today
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_util.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/replay.hpp"
#include "caseflow/rules.hpp"

namespace {

using caseflow::case_id;
using caseflow::engine;
using caseflow::event_id;
using caseflow::history_entry;
using caseflow::instant;
using caseflow::record_kind;

constexpr std::size_t case_count = 1024;
constexpr const char* lifecycle[] = {"facts_established", "cannot_solve", "replied", "promised_date_reached", "replied",
                                     "customer_rejected", "solved",       "replied", "close",                 "solved"};

const caseflow::rule_set& rules() {
    static const caseflow::rule_set r = caseflow::load_rules(caseflow::bench::source_dir() / "bench/rules/complaint_bench.yaml");
    return r;
}

struct input {
    bool open = false;
    std::string name;             // open: the case name
    caseflow::value_map attributes;
    std::uint32_t case_index = 0;  // event: the case (ids are dense, in open order)
    event_id event;
    instant at;
};

struct corpus {
    std::vector<history_entry> timeline;   // the source engine's, interleaved
    std::vector<std::string> exported;     // one case history file per case
    std::string timeline_text;             // what a faithful replay reproduces
    std::size_t records = 0;
};

const corpus& source() {
    static const corpus c = [] {
        corpus out;
        engine eng(rules());
        const auto t0 = caseflow::bench::bench_t0();
        std::vector<case_id> ids;
        for (std::size_t i = 0; i < case_count; ++i)
            ids.push_back(eng.open("complaint_bench", {{"severity", caseflow::value::enumeration(i % 4 ? "normal" : "major")}}, t0,
                                   "C-" + std::to_string(i)));
        std::int64_t step = 0;
        for (const char* e : lifecycle) {
            const event_id id = eng.event("complaint_bench", e);
            const instant at = t0 + std::chrono::minutes(++step);
            for (case_id c : ids) eng.dispatch(c, id, at);
        }
        out.timeline = eng.timeline();
        out.timeline_text = caseflow::to_string(out.timeline);
        out.records = out.timeline.size();
        for (case_id c : ids) out.exported.push_back(eng.export_history(c, "."));
        return out;
    }();
    return c;
}

// Decoding: names to ids, texts to values, cases by name.
std::vector<input> decode(const engine& eng, const std::vector<history_entry>& timeline) {
    std::vector<input> in;
    in.reserve(timeline.size() / 2);
    std::unordered_map<std::string, std::uint32_t> cases;
    for (const history_entry& e : timeline) {
        if (e.kind == record_kind::opened) {
            input x;
            x.open = true;
            x.name = e.case_id;
            for (const auto& [k, v] : e.fields)
                x.attributes.emplace(k, k == "severity" ? caseflow::value::enumeration(v) : caseflow::value(static_cast<std::int64_t>(std::stoll(v))));
            x.at = e.at;
            cases.emplace(e.case_id, static_cast<std::uint32_t>(cases.size()));
            in.push_back(std::move(x));
        } else if (e.kind == record_kind::event || e.kind == record_kind::rejected) {
            input x;
            x.case_index = cases.at(e.case_id);
            x.event = eng.event("complaint_bench", e.subject);
            x.at = e.at;
            in.push_back(std::move(x));
        }
    }
    return in;
}

void apply_inputs(engine& eng, const std::vector<input>& in) {
    for (const input& x : in)
        if (x.open) eng.open("complaint_bench", x.attributes, x.at, x.name);
        else eng.dispatch(case_id{x.case_index}, x.event, x.at);
}

bool faithful(const engine& eng) { return caseflow::to_string(eng.timeline()) == source().timeline_text; }

void replay_apply(benchmark::State& state) {
    const corpus& src = source();
    const std::vector<input> in = decode(engine(rules()), src.timeline);
    for (auto _ : state) {
        state.PauseTiming();
        auto eng = std::make_unique<engine>(rules());
        state.ResumeTiming();
        apply_inputs(*eng, in);
        state.PauseTiming();
        if (state.iterations() == 0 && !faithful(*eng)) state.SkipWithError("the replay's history differs from the source's");
        eng.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * src.records));
    state.counters["records"] = static_cast<double>(src.records);
}
BENCHMARK(replay_apply)->Unit(benchmark::kMicrosecond);

void replay_decode_apply(benchmark::State& state) {
    const corpus& src = source();
    for (auto _ : state) {
        state.PauseTiming();
        auto eng = std::make_unique<engine>(rules());
        state.ResumeTiming();
        apply_inputs(*eng, decode(*eng, src.timeline));
        state.PauseTiming();
        eng.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * src.records));
}
BENCHMARK(replay_decode_apply)->Unit(benchmark::kMicrosecond);

void replay_yaml(benchmark::State& state) {
    const corpus& src = source();
    std::size_t records = 0;
    for (auto _ : state)
        for (const std::string& file : src.exported)
            records += caseflow::replay_string(file, "bench.yaml", ".", &rules()).timeline.size();
    if (records != state.iterations() * src.records) state.SkipWithError("the YAML replay rebuilt a different number of records");
    state.SetItemsProcessed(static_cast<std::int64_t>(records));
}
BENCHMARK(replay_yaml)->Unit(benchmark::kMillisecond);

}  // namespace
