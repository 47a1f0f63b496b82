// The interpreter.  A case is a small record (workflow, active leaf, offset of
// its attribute slots, version); the history is one append-ordered log of
// byte-encoded records for all cases, chained per case (src/history_log.hpp),
// event data and computed action parameters encoded with them.  Text is made
// only when a history is read or an action is handed to the host's sink.
// engine::dispatch(case_id, event_id, instant) has a fast path: per (leaf,
// event) a precomputed cell says what a step does when it only moves the
// leaf, sets one attribute or closes the case (see dispatch_cell).
#include "caseflow/engine.hpp"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "caseflow/detail/model.hpp"
#include "caseflow/detail/suggest.hpp"
#include "caseflow/detail/timer_wheel.hpp"
#include "history_log.hpp"
#include "expr_ops.hpp"
#include "protocols/contact_attempt.hpp"
#include "protocols/escalation_ladder.hpp"
#include "protocols/sla_clock.hpp"

namespace caseflow {

using namespace detail;

// engine.hpp's inline dispatch spells these out in plain types.
static_assert(std::is_same_v<slot, std::int64_t> && unset_slot == INT64_MIN, "dispatch_core's slots");
static_assert(no_id == 0xffffffffu, "dispatch_core's no-ids");

std::string_view to_string(dispatch_status s) {
    switch (s) {
        case dispatch_status::accepted: return "accepted";
        case dispatch_status::no_transition: return "no transition accepts this event in the current state";
        case dispatch_status::case_closed: return "the case is closed";
    }
    return "?";
}

std::string_view to_string(contact_outcome o) {
    switch (o) {
        case contact_outcome::reached: return "reached";
        case contact_outcome::unreached: return "unreached";
        case contact_outcome::rejected: return "rejected";
    }
    return "?";
}

namespace {

// A case is split by temperature: dispatch reads only its case_rec
// (caseflow/detail/dispatch_core.hpp, with the head of its chain of pending
// deadlines and deferrals), the rest is in case_more.
struct case_more {
    std::uint32_t slas = no_id;     // first of the workflow's SLA clocks in impl::slas
    std::uint32_t contact = no_id;  // the latest tracked call, index in impl::contacts
    std::uint32_t ladder = no_id;   // index in impl::ladders
    std::uint32_t name = 0;         // n of an automatic name `<workflow>-<n>`, or given_name | its string id
};
static_assert(sizeof(case_more) == 16, "the cold part of a case stays small");


constexpr std::uint8_t internal_event = 0x80;  // record::code of an event the engine sent itself
constexpr std::uint8_t event_stepped = history_log::event_stepped;  // records() expands it into two

enum note_code : std::uint8_t { note_completion_limit = 1, note_text = 2 };

// Action record flags (record::code); the payload holds the action's values,
// then the SLA index and percent (sla), then the original instant (deferred).
enum action_flag : std::uint8_t { af_sla = 1, af_deferred = 2, af_agent = 4, af_ladder = 8 };

enum class timer_kind : std::uint8_t { deadline, deferred, sla, ladder, contact };
enum timer_code : std::uint8_t { tc_deadline = 0, tc_deferred = 1 };
constexpr std::uint8_t contact_input = 100;  // record::code of a host-reported result

// Working time of a business calendar, as the protocol machines measure it.
// Minute resolution (the calendar's), rounded up so a threshold is never
// reported before it is reached.
struct working_time final : protocols::time_measure, protocols::quiet_hours {
    const calendar* cal;
    explicit working_time(const calendar* c) : cal(c) {}
    duration elapsed(instant a, instant b) const override { return cal->working_time_between(a, b); }
    instant add(instant from, duration d) const override {
        return cal->add(from, business_duration::minutes((d.count() + 59999) / 60000));
    }
    instant next_allowed(instant t) const override { return cal->next_contact_allowed(t); }
};

// The length of a calendar's ordinary working day: what one business day of
// an SLA target or escalation `within` counts as working time.
duration standard_day(const calendar& cal) {
    for (int y : cal.years()) {
        date_t d{days{(y - 1970) * 365 + (y - 1969) / 4}};  // 1 January of y
        for (int i = 0; i < 366; ++i, d += days{1}) {
            if (!cal.covers(d) || cal.describe(d).kind != day_kind::regular || !cal.is_working_day(d)) continue;
            duration total{0};
            for (const auto& r : cal.working_ranges(d)) total += r.end - r.begin;
            if (total.count() > 0) return total;
        }
    }
    return std::chrono::hours{8};
}

duration as_counted(business_duration b, duration day) {
    switch (b.kind) {
        case business_duration::calendar_ms: return duration{b.count};
        case business_duration::business_days: return day * b.count;
        case business_duration::business_hours: return std::chrono::hours{b.count};
        case business_duration::business_minutes: return std::chrono::minutes{b.count};
    }
    return duration{b.count};
}

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

struct engine::impl : dispatch_core {  // now, next_due, case_count, row_bytes: what every dispatch reads first
    rule_set rules;
    const rule_set_data* rs;
    engine_options options;
    std::vector<case_rec> cases;      // dispatch_core::case_data, case_count
    std::vector<dispatch_cell> cells;  // dispatch_core::cell_data: rows of cells, see case_place::row
    std::vector<case_more> more;   ///< parallel to cases
    string_pool strings;
    std::vector<slot> attrs;
    // Case names: automatic ones (`complaint-17`) are not stored but derived
    // from the workflow and the case's ordinal; names the host gives are
    // interned in `strings` (no node-based maps: a million named cases stay small).
    static constexpr std::uint32_t given_name = 0x80000000u;
    std::vector<std::uint32_t> case_of_string;          // string id -> the case it names, or no_id
    std::vector<std::vector<std::uint32_t>> by_ordinal;  // per workflow: ordinal - 1 -> case
    history_log log;
    std::vector<std::string> notes;
    std::vector<slot> scratch;           // evaluated action values, reused
    std::vector<std::uint32_t> entered;  // states entered by the current input
    detail::callback<void(const action&)> sink;

    // Time: one wheel for every case; a slot per pending timer says what it is.
    timer_wheel wheel;
    // A timer is named by its wheel slot index; its payload says what it is,
    // and a case's deadlines and deferrals are chained through timer_next
    // (indexed like the wheel's slots), so a pending timer costs the wheel's
    // 24-byte node, its 8-byte slot entry and 4 bytes here.
    std::vector<std::uint32_t> timer_next;
    struct timer_slot {
        std::uint32_t ci;
        timer_kind kind;
        std::uint32_t ref;  // deadline id / deferred index / sla index / ladder / contact
    };
    static constexpr unsigned ref_bits = 29;
    static std::uint64_t pack(const timer_slot& t) {
        return std::uint64_t{t.ci} << 32 | std::uint64_t{static_cast<std::uint8_t>(t.kind)} << ref_bits | t.ref;
    }
    static timer_slot unpack(std::uint64_t p) {
        return {static_cast<std::uint32_t>(p >> 32), static_cast<timer_kind>((p >> ref_bits) & 7),
                static_cast<std::uint32_t>(p & ((1u << ref_bits) - 1))};
    }
    timer_slot timer(std::uint32_t i) const { return unpack(wheel.payload(wheel.handle(i))); }
    struct deferred_action {
        std::uint32_t action = no_id;
        std::uint32_t linked = no_id;
        std::int64_t from = 0;
        std::uint8_t flags = 0;
        std::vector<slot> values;
    };
    std::vector<deferred_action> deferreds;
    std::vector<std::uint32_t> free_deferreds;

    // Protocol machines (Boost.MSM, src/protocols) and their shared policies.
    struct wf_runtime {
        std::unique_ptr<working_time> measure;  // null without a calendar
        duration day{std::chrono::hours{8}};
        std::vector<protocols::sla_policy> slas;
        protocols::escalation_policy ladder;
        std::vector<protocols::contact_policy> contacts;  // by action id
    };
    std::vector<wf_runtime> runtimes;
    struct sla_rt {
        protocols::sla_clock clock;
        std::uint32_t timer = no_id;
    };
    std::vector<sla_rt> slas;
    struct ladder_rt {
        protocols::escalation_ladder ladder;
        std::uint32_t timer = no_id;
    };
    std::vector<ladder_rt> ladders;
    struct contact_rt {
        protocols::contact_attempt attempt;
        std::uint32_t ci = no_id;
        std::uint32_t action = no_id;
        std::uint32_t timer = no_id;
        std::vector<slot> values;
        std::vector<protocols::agent_id> pool;
    };
    std::vector<contact_rt> contacts;
    std::vector<protocols::sla_record> sla_out;
    std::vector<protocols::escalation_record> ladder_out;
    std::vector<protocols::contact_record> contact_out;

    explicit impl(rule_set r, engine_options o) : rules(std::move(r)), rs(&rules.data()), options(o) {
        if (rs->workflows.size() > 0xffff) throw usage_error("an engine runs at most 65535 workflows");
        for (const auto& wf : rs->workflows)
            if (wf.states.size() > 0xffff) throw usage_error("workflow '" + wf.name + "' has more than 65535 states");
        for (std::uint32_t i = 0; i < rs->strings.size(); ++i) strings.intern(rs->strings.get(i));
        by_ordinal.resize(rs->workflows.size());
        runtimes.resize(rs->workflows.size());
        for (std::size_t w = 0; w < rs->workflows.size(); ++w) {
            const workflow_def& wf = rs->workflows[w];
            wf_runtime& rt = runtimes[w];
            const protocols::time_measure* plain = &protocols::calendar_time_measure::instance();
            if (wf.calendar) {
                rt.measure = std::make_unique<working_time>(wf.calendar);
                rt.day = standard_day(*wf.calendar);
            }
            for (const auto& sd : wf.slas) {
                protocols::sla_policy p;
                p.target = as_counted(sd.target, rt.day);
                p.warn_at = sd.warn_at;
                p.measure = sd.target.is_business() ? rt.measure.get() : plain;
                rt.slas.push_back(std::move(p));
            }
            bool business = false;
            for (const auto& l : wf.ladder) business |= l.has_within && l.within.is_business();
            for (const auto& l : wf.ladder) rt.ladder.levels.push_back({l.name, as_counted(l.within, rt.day)});
            rt.ladder.measure = business ? rt.measure.get() : plain;
            rt.contacts.resize(wf.actions.size());
            for (std::size_t a = 0; a < wf.actions.size(); ++a) {
                const action_def& ad = wf.actions[a];
                auto& cp = rt.contacts[a];
                cp.max_attempts = ad.attempts;
                cp.retry = ad.retry_same_day ? protocols::retry_timing::same_working_day : protocols::retry_timing::after_delay;
                cp.retry_after = ad.retry_same_day ? duration{std::chrono::hours{1}} : ad.retry_after;
                cp.reassign_on_retry = ad.other_agent;
            }
        }
        build_fast_paths();
    }

    const workflow_def& wf_of(const case_rec& c) const { return rs->workflows[c.at.workflow]; }

    std::string name_of(std::uint32_t ci) const {
        const case_rec& c = cases[ci];
        const std::uint32_t n = more[ci].name;
        return n & given_name ? std::string(strings.get(n & ~given_name)) : wf_of(c).name + "-" + std::to_string(n);
    }

    /// The case called `name`, given or automatic, or no_id.
    std::uint32_t find_name(std::string_view name) const {
        const std::int64_t id = strings.find(name);
        if (id >= 0 && static_cast<std::uint64_t>(id) < case_of_string.size() && case_of_string[static_cast<std::size_t>(id)] != no_id)
            return case_of_string[static_cast<std::size_t>(id)];
        auto dash = name.rfind('-');
        if (dash == std::string_view::npos) return no_id;
        auto w = rs->find_workflow(name.substr(0, dash));
        if (w == no_id) return no_id;
        std::uint64_t n = 0;
        for (char ch : name.substr(dash + 1)) {
            if (ch < '0' || ch > '9' || n > 0xffffffffu) return no_id;
            n = n * 10 + static_cast<std::uint64_t>(ch - '0');
        }
        if (n == 0 || n > by_ordinal[w].size() || name.substr(dash + 1)[0] == '0') return no_id;
        return by_ordinal[w][n - 1];
    }

    case_rec& get(case_id c) {
        if (c.index >= cases.size()) throw usage_error("unknown case id " + std::to_string(c.index));
        return cases[c.index];
    }
    const case_rec& get(case_id c) const { return const_cast<impl*>(this)->get(c); }

    instant at_now() const { return instant{duration{now}}; }

    std::uint32_t append(std::uint32_t ci, record_kind kind, std::uint32_t a, std::uint32_t b, const slot* data,
                         std::uint32_t count, std::uint8_t code = 0) {
        if (!options.keep_history) return no_id;  // inlined: the check costs nothing without history
        return append_record(ci, kind, a, b, data, count, code);
    }

    std::uint32_t append_record(std::uint32_t ci, record_kind kind, std::uint32_t a, std::uint32_t b, const slot* data,
                                std::uint32_t count, std::uint8_t code) {
        case_rec& c = cases[ci];
        return c.last = log.append(record{now, ci, c.last, a, b, 0, static_cast<std::uint16_t>(count), kind, code}, data);
    }

    /// append_record() in the log's fixed form where it fits: the records the
    /// dispatch fast path writes again and again (see history_log.hpp).
    std::uint32_t append_small(std::uint32_t ci, record_kind kind, std::uint32_t a, std::uint32_t b, const slot* data,
                               std::uint32_t count, std::uint8_t code) {
        case_rec& c = cases[ci];
        return c.last = log.append_small(record{now, ci, c.last, a, b, 0, static_cast<std::uint16_t>(count), kind, code}, data);
    }

    /// The records of a fast-path `set` step: the stepped event, then the
    /// action with the value it set.
    [[gnu::noinline]] void log_set(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields, std::uint32_t transition,
                                   std::uint32_t from, std::uint32_t action, slot value) {
        log_step(ci, event, nfields, transition, from);
        append_small(ci, record_kind::action, action, no_id, &value, 1, 0);
    }

    /// The records of an accepted event that took a transition from `from`.
    void log_step(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields, std::uint32_t transition, std::uint32_t from) {
        if (nfields) return log_step_fields(ci, event, nfields, transition, from);
        case_rec& c = cases[ci];
        c.last = log.append_step(ci, c.last, now, event, from, transition);
    }
    /// An event with (optional, unset) fields keeps its own record for them.
    [[gnu::noinline]] void log_step_fields(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields, std::uint32_t transition,
                                           std::uint32_t from) {
        append_record(ci, record_kind::event, event, 0, unset_fields.data(), nfields, 0);
        append_record(ci, record_kind::transition, transition, from, nullptr, 0, 0);
    }

    void note(std::uint32_t ci, std::string text) {
        if (!options.keep_history) return;
        notes.push_back(std::move(text));
        append(ci, record_kind::note, static_cast<std::uint32_t>(notes.size() - 1), 0, nullptr, 0, note_text);
    }

    eval_context ctx(const case_rec& c, const slot* ev) const {
        return eval_context{attrs.data() + c.attrs, ev, &strings, now};
    }

    /// Text of a value as actions and histories show it: instants in the
    /// workflow calendar's zone.
    std::string fmt(slot v, slot_type t, const workflow_def& wf) const {
        if (t.type == value_type::instant && v != unset_slot && wf.calendar) {
            instant i{duration{v}};
            try {
                return format_instant(i, wf.calendar->utc_offset_minutes(i));
            } catch (const error&) {
            }
        }
        return format_slot(v, t, strings, rs->enums);
    }
    std::string fmt_instant(std::int64_t ms, const workflow_def& wf) const {
        return fmt(ms, slot_type{value_type::instant, -1}, wf);
    }

    // ------------------------------------------------------------ timers

    std::uint32_t arm(std::uint32_t ci, timer_kind kind, std::uint32_t ref, std::int64_t due, bool chain) {
        if (ref >> ref_bits) throw usage_error("too many timers of one kind in this engine (2^29)");
        const std::uint32_t i = wheel.insert(due, pack({ci, kind, ref})).index;
        next_due = std::min(next_due, due);
        if (i >= timer_next.size()) timer_next.resize(i + 1);  // (resize grows the capacity geometrically)
        timer_next[i] = no_id;
        if (chain) {  // deadlines and deferrals are found through their case
            timer_next[i] = cases[ci].timers;
            cases[ci].timers = i;
        }
        return i;
    }

    /// Unlinks timer i from case ci's chain.
    void unchain(std::uint32_t ci, std::uint32_t i) {
        std::uint32_t* link = &cases[ci].timers;
        while (*link != no_id && *link != i) link = &timer_next[*link];
        if (*link == i) *link = timer_next[i];
    }

    void disarm(std::uint32_t& i) {  // protocol timers: one per machine
        if (i == no_id) return;
        wheel.cancel(wheel.handle(i));
        i = no_id;
    }

    void advance(std::int64_t t) {
        if (t < now)
            throw usage_error("time cannot go back: " + format_instant(instant{duration{t}}) +
                              " is before the engine's time " + format_instant(at_now()));
        if (t < next_due) {  // nothing can be due: the common case on the dispatch path
            now = t;
            return;
        }
        expired_timer x;
        while (wheel.pop_expired(t, x)) {
            now = std::max(now, x.due);
            fire(x.id.index, x.payload);
        }
        now = t;
        next_due = due_bound(wheel.next_due().value_or(std::numeric_limits<std::int64_t>::max()));
    }
    /// next_due for timers due at `due`: no later than the history chunk's
    /// time_end(), which the inline dispatch's records then need not check.
    std::int64_t due_bound(std::int64_t due) const { return cursor ? std::min(due, cursor->time_end()) : due; }

    void fire(std::uint32_t i, std::uint64_t payload) {
        const timer_slot t = unpack(payload);
        switch (t.kind) {
            case timer_kind::deadline:
            case timer_kind::deferred: unchain(t.ci, i); break;
            case timer_kind::sla: slas[t.ref].timer = no_id; break;
            case timer_kind::ladder: ladders[t.ref].timer = no_id; break;
            case timer_kind::contact: contacts[t.ref].timer = no_id; break;
        }
        entered.clear();
        switch (t.kind) {
            case timer_kind::deadline: fire_deadline(t.ci, t.ref); break;
            case timer_kind::deferred: fire_deferred(t.ci, t.ref); break;
            case timer_kind::sla: {
                const std::uint32_t k = t.ref - more[t.ci].slas;
                sla_out.clear();
                guarded(t.ci, [&] { slas[t.ref].clock.tick(at_now(), sla_out); });
                sla_records(t.ci, k);
                break;
            }
            case timer_kind::ladder: {
                ladder_out.clear();
                guarded(t.ci, [&] { ladders[t.ref].ladder.overdue(at_now(), ladder_out); });
                ladder_records(t.ci);
                break;
            }
            case timer_kind::contact: {
                contact_out.clear();
                guarded(t.ci, [&] { contacts[t.ref].attempt.due(at_now(), contact_out); });
                contact_records(t.ref);
                break;
            }
        }
    }

    /// Runs a protocol step; a calendar without data for the instant (or a
    /// protocol misuse) becomes a note in the history instead of a half-done step.
    template <class F>
    void guarded(std::uint32_t ci, F&& f) {
        try {
            f();
        } catch (const error& e) {
            note(ci, e.what());
        }
    }

    // ------------------------------------------------------------ deadlines

    /// When deadline `d` of case `ci` is due, armed at `from`; nullopt when an
    /// anchor attribute is unset (`why` says so).
    std::optional<std::int64_t> due_of(std::uint32_t ci, const deadline_def& d, std::int64_t from, std::string& why) {
        const workflow_def& wf = wf_of(cases[ci]);
        const calendar* cal = wf.calendar;
        using std::chrono::minutes;
        auto local_date = [&](instant t) { return cal ? cal->local_date(t) : std::chrono::floor<days>(t); };
        auto at_local = [&](date_t day, std::int32_t m) {
            return cal ? cal->at_local(day, minutes{m}) : instant{day} + minutes{m};
        };
        auto day_start = [&](date_t day) {
            if (cal && cal->covers(day) && cal->is_working_day(day) && !cal->working_ranges(day).empty())
                return at_local(day, static_cast<std::int32_t>(cal->working_ranges(day).front().begin.count()));
            return at_local(day, 0);
        };
        auto on_day = [&](date_t day) { return d.time_of_day >= 0 ? at_local(day, d.time_of_day) : day_start(day); };
        auto add = [&](instant t, business_duration b) {
            return cal && b.is_business() ? cal->add(t, b) : t + duration{b.count};
        };
        const instant entry{duration{from}};
        instant result;
        switch (d.how) {
            case deadline_def::kind::after: result = add(entry, d.offset); break;
            case deadline_def::kind::at_expr: {
                slot v = evaluate(d.expr, ctx(cases[ci], nullptr));
                if (v == unset_slot) {
                    why = "'" + d.expr.text + "' has no value";
                    return std::nullopt;
                }
                result = d.expr.type.type == value_type::date ? day_start(date_t{days{v}}) : instant{duration{v}};
                break;
            }
            case deadline_def::kind::phrase: {
                bool is_date = false;
                instant anchor = entry;
                date_t anchor_day{};
                if (d.anchor != no_id) {
                    slot v = attrs[cases[ci].attrs + d.anchor];
                    if (v == unset_slot) {
                        why = "attribute '" + wf.attributes[d.anchor].name + "' has no value";
                        return std::nullopt;
                    }
                    is_date = wf.attributes[d.anchor].type.type == value_type::date;
                    if (is_date) anchor_day = date_t{days{v}};
                    else anchor = instant{duration{v}};
                }
                if (!is_date) anchor_day = local_date(anchor);
                switch (d.phrase) {
                    case deadline_def::phrase_kind::after:
                    case deadline_def::phrase_kind::before: {
                        const bool before = d.phrase == deadline_def::phrase_kind::before;
                        const std::int64_t day_ms = 86400000;
                        if (is_date && d.offset.kind == business_duration::business_days) {
                            result = on_day(cal->add_working_days(anchor_day, static_cast<int>(d.offset.count)));
                        } else if (is_date && d.offset.kind == business_duration::calendar_ms && d.offset.count % day_ms == 0) {
                            auto n = days{d.offset.count / day_ms};
                            result = on_day(before ? anchor_day - n : anchor_day + n);
                        } else {
                            instant base = is_date ? day_start(anchor_day) : anchor;
                            instant t = before ? base - duration{d.offset.count} : add(base, d.offset);
                            result = d.time_of_day >= 0 ? at_local(local_date(t), d.time_of_day) : t;
                        }
                        break;
                    }
                    case deadline_def::phrase_kind::on: result = on_day(anchor_day); break;
                    case deadline_def::phrase_kind::today:
                        result = at_local(local_date(entry), d.time_of_day);
                        if (result <= entry) result = at_local(local_date(entry) + days{1}, d.time_of_day);
                        break;
                    case deadline_def::phrase_kind::end_of_working_day: result = cal->end_of_working_day(entry); break;
                    case deadline_def::phrase_kind::next_working_day:
                        result = on_day(cal->add_working_days(local_date(entry), 1));
                        break;
                }
                break;
            }
            case deadline_def::kind::every:
                result = next_occurrence(d, cal, entry);
                break;
        }
        return result.time_since_epoch().count();
    }

    static instant next_occurrence(const deadline_def& d, const calendar* cal, instant after) {
        if (d.every == deadline_def::every_kind::interval) return after + duration{d.offset.count};
        date_t day = cal ? cal->local_date(after) : std::chrono::floor<days>(after);
        for (int i = 0; i < 800; ++i, day += days{1}) {
            instant t = cal ? cal->at_local(day, std::chrono::minutes{d.time_of_day})
                            : instant{day} + std::chrono::minutes{d.time_of_day};
            if (t > after && (d.every == deadline_def::every_kind::day || cal->is_working_day(day))) return t;
        }
        throw calendar_data_error("no working day within 800 days after " + format_instant(after));
    }

    void arm_deadline(std::uint32_t ci, std::uint32_t id, std::int64_t from) {
        const deadline_def& d = wf_of(cases[ci]).deadlines[id];
        std::string why;
        std::optional<std::int64_t> due;
        try {
            due = due_of(ci, d, from, why);
        } catch (const error& e) {
            why = e.what();
        }
        if (!due) {
            note(ci, "deadline '" + d.name + "' not armed: " + why);
            return;
        }
        arm(ci, timer_kind::deadline, id, *due, true);
        slot v = *due;
        append(ci, record_kind::timer_set, id, 0, &v, 1, tc_deadline);
    }

    void cancel_deadlines(std::uint32_t ci, std::uint32_t state) {
        std::uint32_t* link = &cases[ci].timers;
        while (*link != no_id) {
            const std::uint32_t i = *link;
            const timer_slot t = timer(i);
            if (t.kind == timer_kind::deadline && wf_of(cases[ci]).deadlines[t.ref].state == state) {
                *link = timer_next[i];
                wheel.cancel(wheel.handle(i));
                append(ci, record_kind::timer_cancelled, t.ref, 0, nullptr, 0, tc_deadline);
            } else {
                link = &timer_next[i];
            }
        }
    }

    void fire_deadline(std::uint32_t ci, std::uint32_t id) {
        const workflow_def& wf = wf_of(cases[ci]);
        const deadline_def& d = wf.deadlines[id];
        append(ci, record_kind::timer_fired, id, 0, nullptr, 0, tc_deadline);
        if (d.how == deadline_def::kind::every) {
            try {
                slot next = next_occurrence(d, wf.calendar, at_now()).time_since_epoch().count();
                arm(ci, timer_kind::deadline, id, next, true);
                append(ci, record_kind::timer_set, id, 0, &next, 1, tc_deadline);
            } catch (const error& e) {
                note(ci, "deadline '" + d.name + "' not re-armed: " + e.what());
            }
        }
        run_actions(ci, d.actions, nullptr);
        if (d.event != no_id) {
            run_event(ci, d.event, unset_fields.data());
        } else {
            complete(ci);
            after_input(ci, no_id, false);
        }
    }

    // ------------------------------------------------------------ actions

    void run_actions(std::uint32_t ci, const std::vector<std::uint32_t>& ids, const slot* ev, const slot* sla_extra = nullptr) {
        for (auto id : ids) run_action(ci, id, ev, sla_extra);
    }

    void run_action(std::uint32_t ci, std::uint32_t id, const slot* ev, const slot* sla_extra = nullptr) {
        const workflow_def& wf = wf_of(cases[ci]);
        const action_def& a = wf.actions[id];
        if (!a.when.empty() && evaluate(a.when, ctx(cases[ci], ev)) != 1) return;
        if (a.kind == action_kind::set && a.sets.size() == 1 && !sink && !options.keep_history && !sla_extra) {
            // Nobody watches: just assign (the common `set` on a hot path).
            attrs[cases[ci].attrs + a.sets[0].attribute] = evaluate(a.sets[0].expr, ctx(cases[ci], ev));
            return;
        }
        scratch.clear();
        if (a.expr_count != 0)  // (most parameters are literal text)
            for (const auto& p : a.params)
                for (const auto& part : p.parts)
                    if (!part.expr.empty()) scratch.push_back(evaluate(part.expr, ctx(cases[ci], ev)));
        for (const auto& s : a.sets) scratch.push_back(evaluate(s.expr, ctx(cases[ci], ev)));
        std::uint8_t flags = 0;
        if (sla_extra) {
            scratch.push_back(sla_extra[0]);
            scratch.push_back(sla_extra[1]);
            flags |= af_sla;
        }
        std::uint32_t linked = no_id;
        if (a.kind == action_kind::set) {
            slot* at = attrs.data() + cases[ci].attrs;
            for (std::size_t i = 0; i < a.sets.size(); ++i) at[a.sets[i].attribute] = scratch[i];
        } else if (a.kind == action_kind::open_case) {
            linked = open_linked(ci, a);
        }
        const bool contact = a.kind == action_kind::call || a.kind == action_kind::sms;
        if (a.kind == action_kind::call && (a.attempts > 1 || a.other_agent)) {
            start_contact(ci, id);
            return;
        }
        if (contact && wf.calendar) {
            std::int64_t allowed = now;
            guarded(ci, [&] { allowed = wf.calendar->next_contact_allowed(at_now()).time_since_epoch().count(); });
            if (allowed > now) {
                defer(ci, id, linked, flags, allowed);
                return;
            }
        }
        emit(ci, id, scratch, linked, flags);
        if (a.kind == action_kind::escalate && a.escalate_level >= 0) escalate(ci, static_cast<protocols::level_index>(a.escalate_level));
    }

    void emit(std::uint32_t ci, std::uint32_t id, const std::vector<slot>& values, std::uint32_t b, std::uint8_t flags) {
        if (options.keep_history)
            append_small(ci, record_kind::action, id, b, values.data(), static_cast<std::uint32_t>(values.size()), flags);
        if (sink) {
            const action_def* a = id == no_id ? nullptr : &wf_of(cases[ci]).actions[id];
            action out;
            out.case_id = name_of(ci);
            out.at = at_now();
            out.kind = a ? a->kind : action_kind::escalate;
            out.origin = a ? a->pos : wf_of(cases[ci]).ladder_pos;
            out.params = render_params(cases[ci], id, values.data(), b, flags);
            sink(out);
        }
    }

    void defer(std::uint32_t ci, std::uint32_t id, std::uint32_t linked, std::uint8_t flags, std::int64_t until) {
        std::uint32_t k;
        if (!free_deferreds.empty()) {
            k = free_deferreds.back();
            free_deferreds.pop_back();
        } else {
            k = static_cast<std::uint32_t>(deferreds.size());
            deferreds.emplace_back();
        }
        deferred_action& d = deferreds[k];
        d.action = id;
        d.linked = linked;
        d.from = now;
        d.flags = flags;
        d.values = scratch;
        arm(ci, timer_kind::deferred, k, until, true);
        slot v = until;
        append(ci, record_kind::timer_set, id, 0, &v, 1, tc_deferred);
    }

    void fire_deferred(std::uint32_t ci, std::uint32_t k) {
        deferred_action d = std::move(deferreds[k]);
        free_deferreds.push_back(k);
        d.values.push_back(d.from);  // the payload's tail: the instant it was due
        append(ci, record_kind::timer_fired, d.action, 0, nullptr, 0, tc_deferred);
        emit(ci, d.action, d.values, d.linked, d.flags | af_deferred);
        const action_def& a = wf_of(cases[ci]).actions[d.action];
        if (a.kind == action_kind::escalate && a.escalate_level >= 0) escalate(ci, static_cast<protocols::level_index>(a.escalate_level));
    }

    std::uint32_t open_linked(std::uint32_t parent, const action_def& a) {
        const workflow_def& target = rs->workflows[a.target_workflow];
        std::string name = name_of(parent) + "/" + std::to_string(++cases[parent].children);
        if (find_name(name) != no_id) throw usage_error("a case named '" + name + "' is already open in this engine");
        std::vector<slot> values(target.attributes.size(), unset_slot);
        for (std::uint32_t i = 0; i < target.attributes.size(); ++i) values[i] = target.attributes[i].default_value;
        for (std::size_t i = 0; i < a.sets.size(); ++i) values[a.sets[i].attribute] = scratch[scratch.size() - a.sets.size() + i];
        std::vector<slot> saved = scratch;  // the child's own actions reuse scratch
        std::vector<std::uint32_t> saved_entered = entered;
        std::uint32_t child = create(a.target_workflow, std::move(values), name, parent);
        scratch = std::move(saved);
        entered = std::move(saved_entered);
        return child;
    }

    std::vector<std::pair<std::string, std::string>> render_params(const case_rec& c, std::uint32_t id, const slot* values,
                                                                    std::uint32_t b, std::uint8_t flags) const {
        const workflow_def& wf = wf_of(c);
        std::vector<std::pair<std::string, std::string>> out;
        if (flags & af_ladder) {
            out.emplace_back("to", wf.ladder[b].name);
            out.emplace_back("reason", "not handled in time");
            return out;
        }
        const action_def& a = wf.actions[id];
        std::size_t k = 0;
        for (const auto& p : a.params) {
            std::string text;
            for (const auto& part : p.parts) {
                if (part.expr.empty())
                    text += part.text;
                else if (slot v = values[k++]; v != unset_slot)  // an unset value renders as nothing
                    text += fmt(v, part.expr.type, wf);
            }
            if ((flags & af_agent) && p.name == "agent") text = std::string(strings.get(b));
            out.emplace_back(p.name, std::move(text));
        }
        if ((flags & af_agent) && a.param("agent") < 0) out.emplace_back("agent", std::string(strings.get(b)));
        const workflow_def& target = a.kind == action_kind::open_case ? rs->workflows[a.target_workflow] : wf;
        if (a.kind == action_kind::open_case) {
            out.emplace_back("workflow", target.name);
            if (b != no_id) out.emplace_back("case", name_of(b));
        }
        for (const auto& s : a.sets)
            out.emplace_back(target.attributes[s.attribute].name, fmt(values[k++], target.attributes[s.attribute].type, target));
        if (flags & af_sla) {
            out.emplace_back("sla", wf.slas[static_cast<std::size_t>(values[k])].name);
            out.emplace_back("percent", std::to_string(values[k + 1]));
            k += 2;
        }
        if (flags & af_deferred) out.emplace_back("deferred_from", fmt_instant(values[k], wf));
        return out;
    }

    // ------------------------------------------------------------ protocols

    void sla_records(std::uint32_t ci, std::uint32_t k) {
        const workflow_def& wf = wf_of(cases[ci]);
        const sla_def& def = wf.slas[k];
        for (const auto& r : sla_out) {
            slot data[2] = {r.percent, r.elapsed.count()};
            append(ci, record_kind::sla, k, 0, data, 2, static_cast<std::uint8_t>(r.kind));
            slot extra[2] = {static_cast<slot>(k), r.percent};
            if (r.kind == protocols::sla_event::warned) run_actions(ci, def.on_warning, nullptr, extra);
            if (r.kind == protocols::sla_event::breached) run_actions(ci, def.on_breach, nullptr, extra);
        }
        sla_rt& rt = slas[more[ci].slas + k];
        disarm(rt.timer);
        if (auto due = rt.clock.next_due())
            rt.timer = arm(ci, timer_kind::sla, more[ci].slas + k, due->time_since_epoch().count(), false);
    }

    /// SLA and ladder conditions after an input (states entered, the event),
    /// then, if the input closed the case, its wind-down.
    void after_input(std::uint32_t ci, std::uint32_t event, bool opening) {
        if (!wf_of(cases[ci]).slas.empty() || more[ci].ladder != no_id) protocol_conditions(ci, event, opening);
        if (cases[ci].closed) wind_down(ci);
    }

    void protocol_conditions(std::uint32_t ci, std::uint32_t event, bool opening) {
        const workflow_def& wf = wf_of(cases[ci]);
        for (std::uint32_t k = 0; k < wf.slas.size(); ++k) {
            const sla_def& d = wf.slas[k];
            protocols::sla_clock& clock = slas[more[ci].slas + k].clock;
            auto hit = [&](const std::vector<std::uint32_t>& enter, const std::vector<std::uint32_t>& on) {
                if (event != no_id && contains(on, event)) return true;
                for (auto s : entered)
                    if (contains(enter, s)) return true;
                return false;
            };
            sla_out.clear();
            guarded(ci, [&] {
                const instant t = at_now();
                if (clock.state() == protocols::sla_state::not_started &&
                    ((d.start_at_open && opening) || hit(d.start_enter, d.start_on)))
                    clock.start(t, sla_out);
                if (!clock.is_final()) {
                    if (hit(d.cancel_enter, d.cancel_on))
                        clock.cancel(t, sla_out);
                    else if (hit(d.stop_enter, d.stop_on))
                        clock.stop(t, sla_out);
                }
                if (!clock.is_final() && clock.state() != protocols::sla_state::not_started && !d.pause_in.empty()) {
                    bool paused = false;
                    for (auto s : d.pause_in) paused |= in_state(cases[ci], s);
                    if (paused && !clock.is_paused()) clock.pause(t, sla_out);
                    if (!paused && clock.is_paused()) clock.resume(t, sla_out);
                }
            });
            if (!sla_out.empty()) sla_records(ci, k);
        }
        if (event != no_id && more[ci].ladder != no_id && contains(wf.ladder_handled_on, event)) {
            ladder_out.clear();
            guarded(ci, [&] { ladders[more[ci].ladder].ladder.handled(at_now(), ladder_out); });
            ladder_records(ci);
        }
    }

    bool in_state(const case_rec& c, std::uint32_t s) const {
        const workflow_def& wf = wf_of(c);
        for (std::uint32_t x = c.at.leaf; x != no_id; x = wf.states[x].parent)
            if (x == s) return true;
        return false;
    }

    void escalate(std::uint32_t ci, protocols::level_index level) {
        if (more[ci].ladder == no_id) {
            more[ci].ladder = static_cast<std::uint32_t>(ladders.size());
            cases[ci].escalated = true;
            ladders.push_back({protocols::escalation_ladder(runtimes[cases[ci].at.workflow].ladder), no_id});
        }
        ladder_out.clear();
        guarded(ci, [&] { ladders[more[ci].ladder].ladder.escalate_to(level, at_now(), ladder_out); });
        ladder_records(ci);
    }

    void ladder_records(std::uint32_t ci) {
        const workflow_def& wf = wf_of(cases[ci]);
        ladder_rt& rt = ladders[more[ci].ladder];
        for (const auto& r : ladder_out) {
            slot due = r.due.time_since_epoch().count();
            append(ci, record_kind::escalation, r.level, r.from, &due, 1, static_cast<std::uint8_t>(r.kind));
            if (r.kind == protocols::escalation_event::re_escalated) emit(ci, no_id, {}, r.level, af_ladder);
        }
        disarm(rt.timer);
        protocols::level_index level = rt.ladder.level();
        if (level != protocols::no_level && wf.ladder[level].has_within)
            if (auto due = rt.ladder.next_due())
                rt.timer = arm(ci, timer_kind::ladder, more[ci].ladder, due->time_since_epoch().count(), false);
    }

    void start_contact(std::uint32_t ci, std::uint32_t id) {
        const workflow_def& wf = wf_of(cases[ci]);
        auto k = static_cast<std::uint32_t>(contacts.size());
        contacts.push_back({protocols::contact_attempt(runtimes[cases[ci].at.workflow].contacts[id]), ci, id, no_id, scratch, {}});
        contact_rt& c = contacts.back();
        if (more[ci].contact != no_id) disarm(contacts[more[ci].contact].timer);  // a new call replaces the old
        more[ci].contact = k;
        cases[ci].calls = true;
        // The rendered agent and pool (comma-separated) become interned agent ids.
        auto params = render_params(cases[ci], id, scratch.data(), no_id, 0);
        protocols::agent_id agent = protocols::no_agent;
        for (const auto& [name, text] : params) {
            if (name == "agent" && !text.empty()) agent = strings.intern(text);
            if (name == "pool") {
                std::size_t i = 0;
                while (i <= text.size()) {
                    std::size_t j = text.find(',', i);
                    if (j == std::string::npos) j = text.size();
                    std::string one = text.substr(i, j - i);
                    one.erase(0, one.find_first_not_of(' '));
                    one.erase(one.find_last_not_of(' ') + 1);
                    if (!one.empty()) c.pool.push_back(strings.intern(one));
                    i = j + 1;
                }
            }
        }
        const protocols::quiet_hours& quiet = wf.calendar ? static_cast<const protocols::quiet_hours&>(*runtimes[cases[ci].at.workflow].measure)
                                                          : protocols::no_quiet_hours::instance();
        contact_out.clear();
        guarded(ci, [&] { c.attempt.schedule(at_now(), at_now(), agent, quiet, contact_out); });
        if (c.attempt.state() == protocols::contact_state::scheduled)
            guarded(ci, [&] { contacts[k].attempt.due(at_now(), contact_out); });
        contact_records(k);
    }

    void contact_records(std::uint32_t k) {
        contact_rt& c = contacts[k];
        const std::uint32_t ci = c.ci;
        const workflow_def& wf = wf_of(cases[ci]);
        std::uint32_t event = no_id;
        for (const auto& r : contact_out) {
            slot data[3] = {r.attempt, r.from.time_since_epoch().count(), r.to.time_since_epoch().count()};
            append(ci, record_kind::contact, k, r.agent, data, 3, static_cast<std::uint8_t>(r.kind));
            switch (r.kind) {
                case protocols::contact_event::attempt_due: emit(ci, c.action, c.values, r.agent, af_agent); break;
                case protocols::contact_event::reached: event = wf.contact_events[0]; break;
                case protocols::contact_event::unreached: event = wf.contact_events[1]; break;
                case protocols::contact_event::rejected: event = wf.contact_events[2]; break;
                case protocols::contact_event::given_up: event = wf.contact_events[3]; break;
                default: break;
            }
        }
        disarm(c.timer);
        if (!c.attempt.is_final())
            if (auto due = c.attempt.next_due()) c.timer = arm(ci, timer_kind::contact, k, due->time_since_epoch().count(), false);
        if (event != no_id) run_event(ci, event, unset_fields.data());
    }

    /// When an unreached call is retried "before the end of the same working
    /// day": an hour later if the working day lasts that long, else the start
    /// of the next working day.
    std::optional<instant> same_day_retry(const calendar& cal) const {
        const instant t = at_now();
        instant end = cal.end_of_working_day(t);
        if (cal.local_date(end) == cal.local_date(t) && t + std::chrono::hours{1} < end) return t + std::chrono::hours{1};
        return cal.next_working_instant(end);
    }

    void report_contact(std::uint32_t ci, contact_outcome o, std::string_view agent) {
        if (more[ci].contact == no_id ||
            (contacts[more[ci].contact].attempt.state() != protocols::contact_state::due &&
             contacts[more[ci].contact].attempt.state() != protocols::contact_state::in_progress))
            throw usage_error("case '" + name_of(ci) + "' has no call waiting for a result");
        const std::uint32_t k = more[ci].contact;
        const workflow_def& wf = wf_of(cases[ci]);
        auto agent_id = agent.empty() ? protocols::no_agent : strings.intern(agent);
        slot none = 0;
        append(ci, record_kind::contact, k, agent_id, &none, 1, static_cast<std::uint8_t>(contact_input + static_cast<int>(o)));
        ++cases[ci].version;
        protocols::retry_context rc;
        if (wf.calendar) rc.quiet = runtimes[cases[ci].at.workflow].measure.get();
        rc.agents = contacts[k].pool.data();
        rc.agent_count = contacts[k].pool.size();
        contact_out.clear();
        guarded(ci, [&] {
            if (wf.calendar && wf.actions[contacts[k].action].retry_same_day) rc.same_day_retry_at = same_day_retry(*wf.calendar);
            contacts[k].attempt.result(static_cast<protocols::contact_outcome>(o), at_now(), agent_id, contact_out, rc);
        });
        entered.clear();
        contact_records(k);
    }

    // ------------------------------------------------------------ stepping

    void enter(std::uint32_t ci, std::uint32_t s) {
        entered.push_back(s);
        const state_def& st = wf_of(cases[ci]).states[s];
        run_actions(ci, st.entry, nullptr);  // first, so a deadline can use what entry sets
        for (auto d : st.deadlines) arm_deadline(ci, d, now);
    }

    void leave(std::uint32_t ci, std::uint32_t s) {
        const state_def& st = wf_of(cases[ci]).states[s];
        if (!st.deadlines.empty()) cancel_deadlines(ci, s);
        run_actions(ci, st.exit, nullptr);
    }

    void take(std::uint32_t ci, const step& st, const slot* ev) {
        append(ci, record_kind::transition, st.transition, cases[ci].at.leaf, nullptr, 0);
        pass(ci, st, ev);
    }
    /// A step's effect after its records: the states left (innermost first),
    /// the transition's actions, the move, the states entered (outermost first).
    void pass(std::uint32_t ci, const step& st, const slot* ev) {
        const workflow_def& wf = wf_of(cases[ci]);
        for (auto i = st.exit_begin; i < st.exit_end; ++i) leave(ci, wf.path[i]);
        run_actions(ci, wf.transitions[st.transition].actions, ev);
        if (st.target_leaf != no_id) set_leaf(cases[ci], st.target_leaf);
        for (auto i = st.entry_begin; i < st.entry_end; ++i) enter(ci, wf.path[i]);
        check_closed(ci);
    }

    void check_closed(std::uint32_t ci) {
        const case_rec& c = cases[ci];
        const state_def& s = wf_of(c).states[c.at.leaf];
        if (s.final && s.parent == no_id && !c.closed) mark_closed(ci);
    }
    /// The case has entered a top-level final state.
    void mark_closed(std::uint32_t ci) {
        case_rec& c = cases[ci];
        c.closed = true;
        if (options.keep_history) append_small(ci, record_kind::closed, c.at.leaf, 0, nullptr, 0, 0);
    }

    /// A closed case keeps no clock running: pending deadlines and deferred
    /// contacts are cancelled, running SLA clocks cancelled, an escalation
    /// handled, a tracked call's retries dropped.
    void wind_down(std::uint32_t ci) {
        if (!cases[ci].idle() || !wf_of(cases[ci]).slas.empty()) wind_down_clocks(ci);
    }
    [[gnu::noinline]] void wind_down_clocks(std::uint32_t ci) {
        for (std::uint32_t i = cases[ci].timers; i != no_id;) {
            const timer_slot t = timer(i);
            const std::uint32_t next = timer_next[i];
            wheel.cancel(wheel.handle(i));
            append(ci, record_kind::timer_cancelled, t.kind == timer_kind::deadline ? t.ref : deferreds[t.ref].action, 0,
                   nullptr, 0, t.kind == timer_kind::deadline ? tc_deadline : tc_deferred);
            if (t.kind == timer_kind::deferred) free_deferreds.push_back(t.ref);
            i = next;
        }
        cases[ci].timers = no_id;
        const workflow_def& wf = wf_of(cases[ci]);
        for (std::uint32_t k = 0; k < wf.slas.size(); ++k) {
            sla_rt& rt = slas[more[ci].slas + k];
            if (rt.clock.is_final() || rt.clock.state() == protocols::sla_state::not_started) continue;
            sla_out.clear();
            guarded(ci, [&] { rt.clock.cancel(at_now(), sla_out); });
            sla_records(ci, k);
        }
        if (more[ci].ladder != no_id) {
            ladder_out.clear();
            guarded(ci, [&] { ladders[more[ci].ladder].ladder.handled(at_now(), ladder_out); });
            ladder_records(ci);
        }
        if (more[ci].contact != no_id) disarm(contacts[more[ci].contact].timer);
    }

    /// Takes eventless transitions until none is enabled (run to completion).
    void complete(std::uint32_t ci) {
        {
            const case_rec& c = cases[ci];
            const workflow_def& wf = wf_of(c);
            if (wf.eventless_table[c.at.leaf] == wf.eventless_table[c.at.leaf + 1]) return;  // none here
        }
        for (std::uint32_t n = 0; !cases[ci].closed; ++n) {
            const workflow_def& wf = wf_of(cases[ci]);
            const step* chosen = nullptr;
            for (auto i = wf.eventless_table[cases[ci].at.leaf]; i < wf.eventless_table[cases[ci].at.leaf + 1]; ++i) {
                const step& st = wf.steps[i];
                const program& g = wf.transitions[st.transition].guard;
                if (g.empty() || evaluate(g, ctx(cases[ci], nullptr)) == 1) {
                    chosen = &st;
                    break;
                }
            }
            if (!chosen) return;
            if (n == options.max_completion_steps) {
                append(ci, record_kind::note, no_id, 0, nullptr, 0, note_completion_limit);
                return;
            }
            take(ci, *chosen, nullptr);
        }
    }

    /// `host`: the host sent it (an input); otherwise a deadline or a contact
    /// result sent it, and a replay must not send it again.
    dispatch_result run_event(std::uint32_t ci, std::uint32_t event, const slot* ev, bool host = false) {
        const std::uint8_t origin = host ? 0 : internal_event;
        case_rec& c = cases[ci];
        const workflow_def& wf = wf_of(c);
        if (c.closed) return reject_as(host, ci, event, ev, dispatch_status::case_closed);
        const std::size_t cell = static_cast<std::size_t>(c.at.leaf) * wf.events.size() + event;
        for (auto i = wf.dispatch_table[cell]; i < wf.dispatch_table[cell + 1]; ++i) {
            const step& st = wf.steps[i];
            const program& g = wf.transitions[st.transition].guard;
            if (!g.empty() && evaluate(g, ctx(c, ev)) != 1) continue;
            return accept(ci, event, ev, st, origin);
        }
        return reject_as(host, ci, event, ev, dispatch_status::no_transition);
    }

    /// Takes step `st` for an event whose guard held: the event runs to completion.
    [[gnu::noinline]] dispatch_result accept(std::uint32_t ci, std::uint32_t event, const slot* ev, const step& st, std::uint8_t origin) {
        case_rec& c = cases[ci];
        ++c.version;
        append(ci, record_kind::event, event, 0, ev, field_count(c, event), origin);
        entered.clear();
        take(ci, st, ev);
        complete(ci);
        after_input(ci, event, false);
        return {dispatch_status::accepted};
    }

    /// Rejects an event: its record (with `nfields` fields, the event's
    /// field count) when there is a history; `origin`: internal_event or 0.
    /// At most five arguments, so that the fast path's calls stay tail calls.
    /// No call on the common path, so no registers to save: a record that
    /// does not fit at once is reject_slow()'s, a tail call.
    template <std::uint8_t origin = 0>
    [[gnu::noinline]] dispatch_result reject(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields, const slot* ev,
                                             dispatch_status why) {
        if (!options.keep_history) return {why};
        case_rec& c = cases[ci];
        const record r{now, ci, c.last, event, 0, 0, static_cast<std::uint16_t>(nfields), record_kind::rejected,
                       static_cast<std::uint8_t>(origin | static_cast<std::uint8_t>(why))};
        if (!log.small_fits(r)) return reject_slow<origin>(ci, event, nfields, ev, why);
        c.last = log.append_small_fitting(r, ev);
        return {why};
    }
    template <std::uint8_t origin>
    [[gnu::noinline]] dispatch_result reject_slow(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields, const slot* ev,
                                                  dispatch_status why) {
        log_rejected(ci, event, nfields, ev, origin | static_cast<std::uint8_t>(why));
        return {why};
    }
    void log_rejected(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields, const slot* ev, std::uint8_t code) {
        append_small(ci, record_kind::rejected, event, 0, ev, nfields, code);
    }
    dispatch_result reject_as(bool host, std::uint32_t ci, std::uint32_t event, const slot* ev, dispatch_status why) {
        const std::uint32_t n = options.keep_history ? field_count(cases[ci], event) : 0;
        return host ? reject(ci, event, n, ev, why) : reject<internal_event>(ci, event, n, ev, why);
    }

    std::uint32_t field_count(const case_rec& c, std::uint32_t event) const {
        return static_cast<std::uint32_t>(wf_of(c).events[event].fields.size());
    }

    // ------------------------------------------------------------ dispatch fast path

    // What dispatch(case_id, event_id, instant) needs to know about a step to
    // run it without the general interpreter, decided once per engine: most
    // steps of a business workflow only move the leaf, or set one attribute
    // in place (`replies + 1`), and their guards compare an attribute with a
    // literal.  Anything else goes through accept().
    struct fast_step {
        enum shape : std::uint8_t {
            general,  ///< accept()
            move,     ///< step::plain in a workflow without SLA clocks
            close,    ///< step::closes, likewise
            set_one,  ///< an internal transition whose only action is an unconditional one-attribute `set`
            acting,   ///< step::acting, whose actions need no more than run_action() (see runs_alone)
            timed,    ///< step::timed, likewise
        };
        shape kind = general;
        bool cmp_guard = false;          ///< the guard is `attribute OP literal`
        std::uint8_t cmp = 0;            ///< its expr_op::cmp_kind
        std::uint32_t guard_attr = 0;
        slot guard_imm = 0;
        const program* guard = nullptr;  ///< any other guard (null: none)
        std::uint32_t transition = no_id;
        std::uint32_t target_leaf = no_id;
        std::uint32_t action = no_id;    ///< set_one: the action and its assignment
        std::uint32_t set_attr = 0;
        const program* set_expr = nullptr;
        bool set_add = false;            ///< the value is `attribute + literal`: no evaluator call
        std::uint32_t add_attr = 0;
        slot add_imm = 0;
        /// acting: every action is emitted as written (see emits_as_written),
        /// so the step emits them without run_action().
        bool emits_only = false;
    };
    struct fast_workflow {
        const std::uint32_t* table = nullptr;  ///< workflow_def::dispatch_table
        std::uint32_t events = 0;
        std::uint32_t first_row = 0;           ///< the cells of leaf 0 (see cells)
        std::vector<fast_step> steps;          ///< parallel to workflow_def::steps
    };
    std::vector<fast_workflow> fast;
    std::vector<slot> unset_fields;  ///< the data of an event sent without any

    /// Where a case of workflow w is when `leaf` is active: the row of its
    /// cells in `cells` with it.
    case_place place_of(std::uint32_t w, std::uint32_t leaf) const {
        const auto row = static_cast<std::uint32_t>(fast[w].first_row * sizeof(dispatch_cell) + leaf * row_bytes);
        return {row, static_cast<std::uint16_t>(leaf), static_cast<std::uint16_t>(w)};
    }
    /// Moves case c to `leaf`, its dispatch row with it.  (Two stores, not
    /// the whole place: assembling it cost fast_steps ~9 instructions a case.)
    void set_leaf(case_rec& c, std::uint32_t leaf) {
        c.at.leaf = static_cast<std::uint16_t>(leaf);
        c.at.row = place_of(c.at.workflow, leaf).row;
    }

    /// Whether run_action() is all an action needs on a step of fast_steps.
    /// An escalation to a ladder level starts the ladder, which accept()'s
    /// after_input() may find handled by the very event (`handled_on`).
    static bool runs_alone(const action_def& a) { return a.kind != action_kind::escalate || a.escalate_level < 0; }
    /// Whether all run_action() does with an action is emit() it without
    /// values: no condition, parameters of literal text only, nothing to
    /// assign, open, defer or track, and no ladder to start: an escalation or
    /// a notice with a fixed text.  (Emitted without run_action(), the
    /// benchmark's escalating step went from 253 to 166 instructions in
    /// fast_steps.)
    static bool emits_as_written(const action_def& a) {
        return runs_alone(a) && a.when.empty() && a.expr_count == 0 && a.sets.empty() &&
               a.kind != action_kind::open_case && a.kind != action_kind::call && a.kind != action_kind::sms;
    }

    /// Of a cell's candidate steps [begin, end), the one that dispatch can
    /// take on its own guard: a plain move whose guard compares an attribute
    /// with a literal, and which no earlier candidate can pre-empt because each
    /// earlier guard compares the same attribute and holds for none of the
    /// values this one holds for.  no_id when there is none.
    std::uint32_t guarded_move_of(const fast_workflow& fw, std::uint32_t begin, std::uint32_t end) const {
        for (auto k = begin; k < end && fw.steps[k].cmp_guard; ++k) {
            const fast_step& s = fw.steps[k];
            if (s.kind != fast_step::move || s.guard_imm == unset_slot) continue;
            bool first = true;
            for (auto i = begin; i < k && first; ++i) first = exclusive(fw.steps[i], s);
            if (first) return k;
        }
        return no_id;
    }
    /// Whether no value of their attribute makes both comparison guards hold.
    /// Each holds on ranges that its literal bounds, so the values at and next
    /// to the two literals stand for all others.
    static bool exclusive(const fast_step& a, const fast_step& b) {
        if (a.guard_attr != b.guard_attr) return false;
        auto both = [&](slot v) { return expr_op::compare(a.cmp, v, a.guard_imm) && expr_op::compare(b.cmp, v, b.guard_imm); };
        for (const slot x : {a.guard_imm, b.guard_imm})
            if ((x > INT64_MIN && both(x - 1)) || both(x) || (x < INT64_MAX && both(x + 1))) return false;
        return true;
    }

    void build_fast_paths() {
        std::size_t max_fields = 1;
        std::size_t rows = 0;
        std::uint32_t stride = 0;  // cells in a row: the most events of any workflow
        for (const auto& wf : rs->workflows) {
            stride = std::max(stride, static_cast<std::uint32_t>(wf.events.size()));
            rows += wf.states.size();
        }
        if (rows * stride * sizeof(dispatch_cell) > 0xffffffffu) throw usage_error("an engine runs at most 2^27 (state, event) pairs");
        cells.resize(rows * stride);  // kind `checked` where a row is longer than its workflow's events
        row_bytes = stride * sizeof(dispatch_cell);
        fast.resize(rs->workflows.size());
        std::uint32_t first_row = 0;
        for (std::size_t w = 0; w < rs->workflows.size(); ++w) {
            const workflow_def& wf = rs->workflows[w];
            fast_workflow& fw = fast[w];
            fw.table = wf.dispatch_table.data();
            fw.events = static_cast<std::uint32_t>(wf.events.size());
            fw.first_row = first_row;
            first_row += static_cast<std::uint32_t>(wf.states.size()) * stride;
            for (const auto& e : wf.events) max_fields = std::max(max_fields, e.fields.size());
            fw.steps.resize(wf.steps.size());
            for (std::size_t i = 0; i < wf.steps.size(); ++i) {
                const step& st = wf.steps[i];
                const transition_def& t = wf.transitions[st.transition];
                fast_step& fs = fw.steps[i];
                fs.transition = st.transition;
                fs.target_leaf = st.target_leaf;
                const auto& code = t.guard.code;
                if (code.size() == 1 && code[0].op >= expr_op::cmp_ai && code[0].op < expr_op::cmp_ai + 6) {
                    fs.cmp_guard = true;
                    fs.cmp = static_cast<std::uint8_t>(code[0].op - expr_op::cmp_ai);
                    fs.guard_attr = code[0].arg;
                    fs.guard_imm = code[0].imm;
                } else if (!t.guard.empty()) {
                    fs.guard = &t.guard;
                }
                if (!wf.slas.empty()) continue;  // every input is an SLA condition
                if (st.plain) {
                    fs.kind = fast_step::move;
                } else if ((st.acting || st.timed) && std::all_of(t.actions.begin(), t.actions.end(), [&](std::uint32_t a) {
                               return runs_alone(wf.actions[a]);
                           })) {
                    fs.kind = st.acting ? fast_step::acting : fast_step::timed;
                    fs.emits_only = st.acting && std::all_of(t.actions.begin(), t.actions.end(), [&](std::uint32_t a) {
                                        return emits_as_written(wf.actions[a]);
                                    });
                } else if (st.closes) {
                    fs.kind = fast_step::close;
                } else if (st.target_leaf == no_id && st.exit_begin == st.exit_end && st.entry_begin == st.entry_end &&
                           t.actions.size() == 1) {
                    const action_def& a = wf.actions[t.actions[0]];
                    if (a.kind == action_kind::set && a.when.empty() && a.params.empty() && a.sets.size() == 1) {
                        fs.kind = fast_step::set_one;
                        fs.action = t.actions[0];
                        fs.set_attr = a.sets[0].attribute;
                        fs.set_expr = &a.sets[0].expr;
                        const auto& sc = a.sets[0].expr.code;
                        if (sc.size() == 3 && sc[0].op == expr_op::load_attr && sc[1].op == expr_op::push && sc[2].op == expr_op::add) {
                            fs.set_add = true;
                            fs.add_attr = sc[0].arg;
                            fs.add_imm = sc[1].imm;
                        }
                    }
                }
            }
            // A `set` can enable an eventless transition of the leaf it runs in.
            for (std::uint32_t leaf = 0; leaf < wf.states.size(); ++leaf) {
                if (wf.eventless_table[leaf] == wf.eventless_table[leaf + 1]) continue;
                for (std::size_t e = 0; e < wf.events.size(); ++e) {
                    const std::size_t cell = leaf * wf.events.size() + e;
                    for (auto i = wf.dispatch_table[cell]; i < wf.dispatch_table[cell + 1]; ++i)
                        if (fw.steps[i].kind == fast_step::set_one) fw.steps[i].kind = fast_step::general;
                }
            }
            for (std::uint32_t leaf = 0; leaf < wf.states.size(); ++leaf) {
                for (std::uint32_t e = 0; e < wf.events.size(); ++e) {
                    const std::size_t k = std::size_t{leaf} * wf.events.size() + e;
                    dispatch_cell& cell = cells[std::size_t{fw.first_row} + std::size_t{leaf} * stride + e];
                    cell.kind = dispatch_cell::steps;
                    cell.target = place_of(static_cast<std::uint32_t>(w), leaf);
                    const auto& fields = wf.events[e].fields;
                    cell.fields = static_cast<std::uint8_t>(std::min<std::size_t>(fields.size(), 0xff));
                    const bool required = std::any_of(fields.begin(), fields.end(), [](const field_def& f) { return f.required; });
                    const state_def& st = wf.states[leaf];
                    if (required || fields.size() > 0xff) {
                        cell.kind = dispatch_cell::checked;
                    } else if (st.final && st.parent == no_id) {
                        cell.kind = options.keep_history ? dispatch_cell::logged_closed
                                                         : answered(cell, dispatch_cell::move, dispatch_status::case_closed);
                    } else if (wf.dispatch_table[k + 1] == wf.dispatch_table[k]) {
                        cell.kind = options.keep_history ? dispatch_cell::logged_none
                                                         : answered(cell, dispatch_cell::move, dispatch_status::no_transition);
                    } else if (contains(wf.ladder_handled_on, e)) {
                        // An event that ends an escalation must reach the ladder
                        // (fast_steps checks `escalated`); no other step concerns it.
                    } else if (const fast_step& fs = fw.steps[wf.dispatch_table[k]];
                               wf.dispatch_table[k + 1] - wf.dispatch_table[k] == 1 && !fs.cmp_guard && !fs.guard) {
                        cell.transition = fs.transition;
                        if (fs.kind == fast_step::move) {
                            cell.kind = options.keep_history ? dispatch_cell::logged_move
                                                             : answered(cell, dispatch_cell::move, dispatch_status::accepted);
                            if (fs.target_leaf != no_id) cell.target = place_of(static_cast<std::uint32_t>(w), fs.target_leaf);
                        } else if (fs.kind == fast_step::close) {
                            cell.kind = dispatch_cell::close;
                            cell.target = place_of(static_cast<std::uint32_t>(w), fs.target_leaf);
                        } else if (fs.kind == fast_step::set_one && fs.set_add && fs.set_attr <= 0xffff &&
                                   fs.add_imm >= 0) {
                            cell.kind = options.keep_history ? dispatch_cell::logged_set_add : dispatch_cell::set_add;
                            cell.action = fs.action;
                            cell.set_attr = static_cast<std::uint16_t>(fs.set_attr);
                            cell.operand = fs.add_attr;
                            cell.literal = fs.add_imm;
                        }
                    } else if (const std::uint32_t g = guarded_move_of(fw, wf.dispatch_table[k], wf.dispatch_table[k + 1]);
                               g != no_id) {
                        const fast_step& gs = fw.steps[g];
                        cell.kind = options.keep_history ? dispatch_cell::logged_guarded_move
                                                         : answered(cell, dispatch_cell::guarded_move, dispatch_status::accepted);
                        cell.transition = gs.transition;
                        if (gs.target_leaf != no_id) cell.target = place_of(static_cast<std::uint32_t>(w), gs.target_leaf);
                        cell.operand = gs.guard_attr;
                        cell.literal = gs.guard_imm;
                        cell.holds_when = 0;
                        for (slot order = 0; order < 3; ++order)  // less, equal, greater than 1
                            if (expr_op::compare(gs.cmp, order, 1)) cell.holds_when |= 1u << order;
                    }
                    if (options.keep_history) narrow_to_fixed_records(cell, leaf, e);
                }
            }
        }
        unset_fields.assign(max_fields, unset_slot);
        cell_data = cells.data();
        if (options.keep_history) {
            cursor = log.cursor();
            next_due = due_bound(next_due);  // (no chunk yet: the first dispatches take the library's path)
        }
    }

    /// A no-history engine's move or guarded move answering `status`: an
    /// accepted step adds 1 to the case's version; an ignored event's is a
    /// move to the place the case is in (the target's default) that adds 0.
    static dispatch_cell::shape answered(dispatch_cell& cell, dispatch_cell::shape kind, dispatch_status status) {
        cell.answer = {status == dispatch_status::accepted, static_cast<std::uint8_t>(status)};
        return kind;
    }

    /// engine::dispatch writes the records of a history engine's steps and
    /// rejections itself, in their fixed forms: no fields, 16-bit ids.  A
    /// cell whose records need more goes the long way.  A cell of `leaf`
    /// and event `e` that writes one record keeps its head.
    static void narrow_to_fixed_records(dispatch_cell& cell, std::uint32_t leaf, std::uint32_t e) {
        const bool narrow = cell.fields == 0 && e < 0xffff;
        switch (cell.kind) {
            case dispatch_cell::logged_set_add:
                if (cell.action >= 0xfffe) cell.kind = dispatch_cell::steps;
                [[fallthrough]];
            case dispatch_cell::logged_move:
            case dispatch_cell::logged_guarded_move:
            case dispatch_cell::close:
                if (!narrow || cell.transition > 0xffff || cell.target.leaf >= 0xfffe) cell.kind = dispatch_cell::steps;
                break;
            case dispatch_cell::logged_none:
            case dispatch_cell::logged_closed:
                if (!narrow) cell.kind = dispatch_cell::checked;
                break;
            default: break;
        }
        switch (cell.kind) {  // (what the cell still is)
            case dispatch_cell::logged_move: cell.head = log_cursor::step_head(e, leaf, cell.transition); break;
            case dispatch_cell::logged_none:
            case dispatch_cell::logged_closed: {
                const dispatch_status why = cell.kind == dispatch_cell::logged_none ? dispatch_status::no_transition
                                                                                    : dispatch_status::case_closed;
                cell.head = log_cursor::rejected_head(static_cast<std::uint8_t>(why), e);
                break;
            }
            default: break;
        }
    }

    /// dispatch(case_id, event_id, instant) when the hot path does not apply:
    /// checks the ids, lets time advance, runs the general interpreter.
    [[gnu::noinline]] dispatch_result dispatch_checked(case_id c, event_id e, std::int64_t t) {
        const case_rec& cr = get(c);
        if (e.workflow != cr.at.workflow) throw usage_error("event id belongs to another workflow than case '" + name_of(c.index) + "'");
        const auto& events = wf_of(cr).events;
        if (e.index >= events.size())
            throw usage_error("event id " + std::to_string(e.index) + " is not an event of workflow '" + wf_of(cr).name + "'");
        for (const auto& f : events[e.index].fields)
            if (f.required) throw usage_error("event '" + events[e.index].name + "' requires field '" + f.name + "'");
        advance(t);
        return run_event(c.index, e.index, unset_fields.data(), true);
    }

    /// run_cell's cells of an engine that keeps a history.  A logged move
    /// comes here only when its record did not fit the log's chunk.
    [[gnu::noinline]] dispatch_result logged_move(std::uint32_t ci, std::uint32_t event, const dispatch_cell& cell) {
        case_rec& c = cases[ci];
        ++c.version;
        log_step(ci, event, cell.fields, cell.transition, c.at.leaf);
        c.at = cell.target;
        return {dispatch_status::accepted};
    }
    [[gnu::noinline]] dispatch_result logged_set_add(std::uint32_t ci, std::uint32_t event, const dispatch_cell& cell) {
        case_rec& c = cases[ci];
        // As logged_move: no call on the common path.
        if (cell.fields || !log.step_and_value_fit(now, event, c.at.leaf, cell.transition, cell.action))
            return logged_set_add_slow(ci, event, cell);
        ++c.version;
        slot* const at = attrs.data() + c.attrs;
        const slot v = expr_op::checked_add(at[cell.operand], cell.literal);
        const std::uint32_t step = log.append_step_fitting(ci, c.last, now, event, c.at.leaf, cell.transition);
        c.last = log.append_small_fitting(record{now, ci, step, cell.action, no_id, 0, 1, record_kind::action, 0}, &v);
        at[cell.set_attr] = v;
        return {dispatch_status::accepted};
    }
    [[gnu::noinline]] dispatch_result logged_set_add_slow(std::uint32_t ci, std::uint32_t event, const dispatch_cell& cell) {
        case_rec& c = cases[ci];
        ++c.version;
        slot* const at = attrs.data() + c.attrs;
        const slot v = expr_op::checked_add(at[cell.operand], cell.literal);
        log_set(ci, event, cell.fields, cell.transition, c.at.leaf, cell.action, v);
        at[cell.set_attr] = v;
        return {dispatch_status::accepted};
    }

    /// A step::closes step's effect after its records: the case moves to the
    /// final leaf, closes, and winds down, as take() + after_input() would.
    void close_at(std::uint32_t ci, std::uint32_t leaf) {
        set_leaf(cases[ci], leaf);
        mark_closed(ci);
        wind_down(ci);
    }
    /// engine::dispatch's `close` cell: the same step, its target known.
    [[gnu::noinline]] dispatch_result close_cell(std::uint32_t ci, std::uint32_t event, const dispatch_cell& cell) {
        case_rec& c = cases[ci];
        ++c.version;
        if (options.keep_history) log_step(ci, event, cell.fields, cell.transition, c.at.leaf);
        c.at = cell.target;
        mark_closed(ci);
        wind_down(ci);
        return {dispatch_status::accepted};
    }

    /// A `steps` cell (guards, several candidates, a general step), a guarded
    /// move whose guard failed, or a cell that has a ladder or sink to serve,
    /// for an event
    /// sent without data once nothing is due before its instant: the same
    /// records and effects as run_event(), without its general machinery
    /// where a step allows.
    [[gnu::noinline]] dispatch_result fast_steps(std::uint32_t ci, std::uint32_t event, std::uint32_t nfields) {
        case_rec& c = cases[ci];
        const fast_workflow& fw = fast[c.at.workflow];
        const slot* ev = unset_fields.data();
        slot* const at = attrs.data() + c.attrs;
        const std::size_t cell = static_cast<std::size_t>(c.at.leaf) * fw.events + event;
        for (auto i = fw.table[cell], end = fw.table[cell + 1]; i < end; ++i) {
            const fast_step& fs = fw.steps[i];
            if (fs.cmp_guard ? !expr_op::compare(fs.cmp, at[fs.guard_attr], fs.guard_imm)
                             : fs.guard && evaluate(*fs.guard, ctx(c, ev)) != 1)
                continue;
            if (fs.kind == fast_step::general || c.escalated || (fs.kind == fast_step::set_one && sink))
                return accept(ci, event, ev, wf_of(c).steps[i], 0);
            ++c.version;
            if (fs.kind == fast_step::set_one) {
                const slot v = fs.set_add ? expr_op::checked_add(at[fs.add_attr], fs.add_imm) : evaluate(*fs.set_expr, ctx(c, ev));
                if (options.keep_history) log_set(ci, event, nfields, fs.transition, c.at.leaf, fs.action, v);
                at[fs.set_attr] = v;
                return {dispatch_status::accepted};
            }
            if (options.keep_history) log_step(ci, event, nfields, fs.transition, c.at.leaf);
            if (fs.kind == fast_step::move) {
                if (fs.target_leaf != no_id) set_leaf(c, fs.target_leaf);
            } else if (fs.kind == fast_step::acting) {
                // As take(): the actions run in the state left (a sink may look).
                const auto& actions = wf_of(c).transitions[fs.transition].actions;
                if (fs.emits_only) {
                    scratch.clear();  // (no values)
                    for (auto id : actions) emit(ci, id, scratch, no_id, 0);
                } else {
                    run_actions(ci, actions, ev);
                }
                set_leaf(cases[ci], fs.target_leaf);
            } else if (fs.kind == fast_step::timed) {
                entered.clear();  // (nobody asks which: the workflow has no SLA clocks)
                pass(ci, wf_of(c).steps[i], ev);
            } else {
                close_at(ci, fs.target_leaf);
            }
            return {dispatch_status::accepted};
        }
        return reject(ci, event, nfields, ev, dispatch_status::no_transition);
    }

    std::uint32_t create(std::uint32_t w, std::vector<slot> values, std::string name, std::uint32_t parent) {
        const workflow_def& wf = rs->workflows[w];
        auto ci = static_cast<std::uint32_t>(cases.size());
        case_rec c;
        c.at = place_of(w, wf.initial_leaf);
        c.attrs = static_cast<std::uint32_t>(attrs.size());
        c.version = 1;
        case_more m;
        if (!wf.slas.empty()) {
            m.slas = static_cast<std::uint32_t>(slas.size());
            for (const auto& p : runtimes[w].slas) slas.push_back({protocols::sla_clock(p), no_id});
        }
        attrs.insert(attrs.end(), values.begin(), values.end());
        if (name.empty()) {
            by_ordinal[w].push_back(ci);
            m.name = static_cast<std::uint32_t>(by_ordinal[w].size());
        } else {
            const std::uint32_t id = strings.intern(name);
            if (id & given_name) throw usage_error("too many distinct strings in this engine (2^31)");
            if (id >= case_of_string.size()) case_of_string.resize(id + 1, no_id);
            case_of_string[id] = ci;
            m.name = id | given_name;
        }
        cases.push_back(c);
        more.push_back(m);
        case_data = cases.data();
        attr_data = attrs.data();
        case_count = static_cast<std::uint32_t>(cases.size());
        append(ci, record_kind::opened, w, parent, values.data(), static_cast<std::uint32_t>(values.size()));
        entered.clear();
        for (auto s : wf.initial_entry) enter(ci, s);
        check_closed(ci);
        complete(ci);
        after_input(ci, no_id, true);
        return ci;
    }

    // ------------------------------------------------------------ rendering

    /// `slots`: the payloads of the records decoded with r.
    history_entry render(const record& r, const slot* slots) const {
        const case_rec& c = cases[r.case_index];
        const workflow_def& wf = wf_of(c);
        history_entry e;
        e.at = instant{duration{r.at}};
        e.case_id = name_of(r.case_index);
        e.kind = r.kind;
        const slot* data = r.count ? slots + r.payload : nullptr;  // read only as far as count goes
        auto event_fields = [&](std::uint32_t event) {
            const auto& fields = wf.events[event].fields;
            for (std::size_t i = 0; i < fields.size(); ++i)
                if (data[i] != unset_slot) e.fields.emplace_back(fields[i].name, fmt(data[i], fields[i].type, wf));
        };
        auto agent = [&](std::uint32_t id) {
            return id == protocols::no_agent ? std::string() : std::string(strings.get(id));
        };
        switch (r.kind) {
            case record_kind::opened:
                e.subject = wf.name;
                if (r.b != no_id) e.fields.emplace_back("parent", name_of(r.b));
                for (std::size_t i = 0; i < wf.attributes.size(); ++i)
                    if (data[i] != unset_slot) e.fields.emplace_back(wf.attributes[i].name, fmt(data[i], wf.attributes[i].type, wf));
                break;
            case record_kind::event:
                e.subject = wf.events[r.a].name;
                event_fields(r.a);
                break;
            case record_kind::rejected:
                e.subject = wf.events[r.a].name;
                event_fields(r.a);
                e.fields.emplace_back("reason", std::string(to_string(static_cast<dispatch_status>(r.code & ~internal_event))));
                break;
            case record_kind::transition: {
                const transition_def& t = wf.transitions[r.a];
                std::string from = wf.states[r.b].name;
                e.subject = t.target == no_id ? from + " (internal)" : from + " -> " + wf.states[leaf_after(wf, r)].name;
                e.fields.emplace_back("on", t.event == no_id ? std::string("(completion)") : wf.events[t.event].name);
                e.origin = t.pos;
                break;
            }
            case record_kind::action:
                e.subject = r.code & af_ladder ? "escalate" : std::string(to_string(wf.actions[r.a].kind));
                e.fields = render_params(c, r.a, data, r.b, r.code);
                e.origin = r.code & af_ladder ? wf.ladder_pos : wf.actions[r.a].pos;
                break;
            case record_kind::timer_set:
            case record_kind::timer_fired:
            case record_kind::timer_cancelled:
                if (r.code == tc_deadline) {
                    e.subject = wf.deadlines[r.a].name;
                    e.origin = wf.deadlines[r.a].pos;
                } else {
                    e.subject = "deferred " + std::string(to_string(wf.actions[r.a].kind)) + " (quiet hours)";
                    e.origin = wf.actions[r.a].pos;
                }
                if (r.kind == record_kind::timer_set) e.fields.emplace_back("due", fmt_instant(data[0], wf));
                break;
            case record_kind::sla: {
                static const char* const what[] = {"started", "paused", "resumed", "warned", "met", "breached", "cancelled"};
                e.subject = wf.slas[r.a].name + " " + what[r.code];
                if (data[0] != 0) e.fields.emplace_back("percent", std::to_string(data[0]));
                e.fields.emplace_back("elapsed", format_duration(duration{data[1]}));
                e.origin = wf.slas[r.a].pos;
                break;
            }
            case record_kind::escalation: {
                static const char* const what[] = {"escalated", "re_escalated", "top_reached", "handled"};
                e.subject = what[r.code];
                if (r.a != protocols::no_level) e.fields.emplace_back("level", wf.ladder[r.a].name);
                if (r.b != protocols::no_level) e.fields.emplace_back("from", wf.ladder[r.b].name);
                if ((r.code == 0 || r.code == 1) && wf.ladder[r.a].has_within) e.fields.emplace_back("due", fmt_instant(data[0], wf));
                e.origin = wf.ladder_pos;
                break;
            }
            case record_kind::contact:
                if (r.code >= contact_input) {
                    e.subject = std::string(to_string(static_cast<contact_outcome>(r.code - contact_input)));
                    if (r.b != protocols::no_agent) e.fields.emplace_back("agent", agent(r.b));
                    e.fields.emplace_back("reported", "by host");
                } else {
                    auto kind = static_cast<protocols::contact_event>(r.code);
                    e.subject = protocols::to_string(kind);
                    e.fields.emplace_back("attempt", std::to_string(data[0]));
                    if (r.b != protocols::no_agent) e.fields.emplace_back("agent", agent(r.b));
                    if (kind == protocols::contact_event::deferred) e.fields.emplace_back("from", fmt_instant(data[1], wf));
                    if (kind == protocols::contact_event::deferred || kind == protocols::contact_event::retry_scheduled ||
                        kind == protocols::contact_event::attempt_scheduled)
                        e.fields.emplace_back("at", fmt_instant(data[2], wf));
                }
                e.origin = wf.actions[contacts[r.a].action].pos;
                break;
            case record_kind::closed: e.subject = wf.states[r.a].name; break;
            case record_kind::note:
                e.subject = r.code == note_text ? notes[r.a]
                            : "completion loop stopped after " + std::to_string(options.max_completion_steps) +
                                  " eventless steps; check the rules' 'always' guards";
                break;
        }
        return e;
    }

    static std::uint32_t leaf_after(const workflow_def& wf, const record& r) {
        std::uint32_t s = wf.transitions[r.a].target;
        while (wf.states[s].composite()) s = wf.states[s].initial;
        return s;
    }

    /// Decoded records and the slots their payloads index.
    struct record_list {
        std::vector<record> records;
        std::vector<slot> slots;
    };
    /// The case's records, oldest first, a fast-path step expanded.
    record_list records(std::uint32_t ci) const {
        record_list out;
        for (auto i = cases[ci].last; i != no_id;) {
            const record r = log.decode(i, out.slots);
            expand(r, out.records, true);
            i = r.prev;
        }
        std::reverse(out.records.begin(), out.records.end());
        return out;
    }
    /// Every record in the order it was written, expanded.
    record_list all_records() const {
        record_list out;
        out.records.reserve(log.bytes() / log_cursor::fixed_size);  // (most records are of a fixed form)
        log.for_each(out.slots, [&](std::uint32_t, const record& r) { expand(r, out.records, false); });
        return out;
    }
    /// Appends `r`, or for a stepped event record the event and its transition
    /// (in reverse when the caller walks newest first).
    static void expand(const record& r, std::vector<record>& out, bool newest_first) {
        if (r.kind != record_kind::event || !(r.code & event_stepped)) {
            out.push_back(r);
            return;
        }
        const record ev{r.at, r.case_index, no_id, r.a, 0, 0, 0, record_kind::event, static_cast<std::uint8_t>(r.code & ~event_stepped)};
        const record tr{r.at, r.case_index, no_id, r.payload, r.b, 0, 0, record_kind::transition, 0};
        out.push_back(newest_first ? tr : ev);
        out.push_back(newest_first ? ev : tr);
    }
};

inline engine::impl& engine::self() const { return static_cast<impl&>(*core_); }

engine::engine(rule_set rules, engine_options options) {
    // Checked first: no destructor runs for an engine whose constructor throws.
    if (rules.empty()) throw usage_error("engine needs a loaded rule set");
    core_ = new impl(std::move(rules), options);
}
engine::~engine() { delete static_cast<impl*>(core_); }
engine::engine(engine&& o) noexcept : core_(std::exchange(o.core_, nullptr)) {}
engine& engine::operator=(engine&& o) noexcept {
    if (this != &o) {
        delete static_cast<impl*>(core_);
        core_ = std::exchange(o.core_, nullptr);
    }
    return *this;
}

void engine::on_action(detail::callback<void(const action&)> sink) {
    self().sink = std::move(sink);
    self().has_sink = static_cast<bool>(self().sink);
}

case_id engine::open(std::string_view workflow, const value_map& attributes, instant at, std::string_view name) {
    impl& m = self();
    auto w = m.rs->find_workflow(workflow);
    if (w == no_id) {
        throw usage_error("unknown workflow '" + std::string(workflow) + "'" + did_you_mean(workflow, m.rules.workflows()));
    }
    const workflow_def& wf = m.rs->workflows[w];
    std::vector<slot> values(wf.attributes.size());
    for (std::size_t i = 0; i < wf.attributes.size(); ++i) values[i] = wf.attributes[i].default_value;
    for (const auto& [k, v] : attributes) {
        auto id = wf.find_attribute(k);
        if (id == no_id) {
            const auto names = names_of(wf.attributes);
            throw usage_error("workflow '" + wf.name + "' has no attribute '" + k + "'" + did_you_mean(k, names));
        }
        values[id] = to_slot(v, wf.attributes[id].type, m.strings, m.rs->enums, "attribute '" + k + "'");
    }
    for (std::size_t i = 0; i < wf.attributes.size(); ++i)
        if (wf.attributes[i].required && values[i] == unset_slot)
            throw usage_error("workflow '" + wf.name + "' requires attribute '" + wf.attributes[i].name + "' (" +
                              wf.attributes[i].pos.str() + ")");
    std::string case_name(name);
    std::string shown = name.empty() ? wf.name + "-" + std::to_string(m.by_ordinal[w].size() + 1) : case_name;
    if (m.find_name(shown) != no_id) throw usage_error("a case named '" + shown + "' is already open in this engine");
    advance_to(at);
    return case_id{m.create(w, std::move(values), std::move(case_name), no_id)};
}

dispatch_result engine::dispatch(case_id c, std::string_view event, const value_map& data, instant at) {
    impl& m = self();
    const case_rec& cr = m.get(c);
    const workflow_def& wf = m.wf_of(cr);
    auto e = wf.find_event(event);
    if (e == no_id) {
        const auto names = names_of(wf.events);
        throw usage_error("workflow '" + wf.name + "' has no event '" + std::string(event) + "'" + did_you_mean(event, names));
    }
    const auto& fields = wf.events[e].fields;
    std::vector<slot> ev(fields.size(), unset_slot);
    for (const auto& kv : data) {
        const std::string& k = kv.first;
        const value& v = kv.second;
        auto it = std::find_if(fields.begin(), fields.end(), [&](const field_def& f) { return f.name == k; });
        if (it == fields.end()) {
            const auto names = names_of(fields);
            throw usage_error("event '" + wf.events[e].name + "' has no field '" + k + "'" + did_you_mean(k, names));
        }
        ev[static_cast<std::size_t>(it - fields.begin())] =
            to_slot(v, it->type, m.strings, m.rs->enums, "field '" + k + "' of event '" + wf.events[e].name + "'");
    }
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].required && ev[i] == unset_slot)
            throw usage_error("event '" + wf.events[e].name + "' requires field '" + fields[i].name + "'");
    advance_to(at);
    return m.run_event(c.index, e, ev.data(), true);
}

// engine::dispatch(case_id, event_id, instant)'s cells that need the library
// (engine.hpp runs the moves, ignored events and sums of engines without a
// history inline), once the case, the event and the time are known good.
// Only tail calls: no stack frame.
dispatch_result engine::run_cell(std::uint32_t c, std::uint32_t e, const detail::dispatch_cell& cell, std::int64_t t) {
    impl& m = self();
    if (cell.kind == dispatch_cell::logged_move) {  // the commonest here
        m.now = t;
        return m.logged_move(c, e, cell);
    }
    if (cell.kind == dispatch_cell::checked) return m.dispatch_checked({c}, {m.cases[c].at.workflow, e}, t);
    m.now = t;
    switch (cell.kind) {
        case dispatch_cell::logged_set_add:
            if (m.sink) break;
            return m.logged_set_add(c, e, cell);
        case dispatch_cell::logged_guarded_move:
            if (!guard_holds(cell, m.attrs[m.cases[c].attrs + cell.operand])) break;  // another candidate, or none
            return m.logged_move(c, e, cell);
        case dispatch_cell::close:
            if (m.cases[c].escalated) break;  // the ladder is handled: accept()
            return m.close_cell(c, e, cell);
        case dispatch_cell::logged_none: return m.reject(c, e, cell.fields, m.unset_fields.data(), dispatch_status::no_transition);
        case dispatch_cell::logged_closed: return m.reject(c, e, cell.fields, m.unset_fields.data(), dispatch_status::case_closed);
        default: break;
    }
    return m.fast_steps(c, e, cell.fields);
}
// ... and the checks failed: an unknown case or event, or a timer due first.
dispatch_result engine::dispatch_checked(case_id c, event_id e, std::int64_t t) { return self().dispatch_checked(c, e, t); }

event_id engine::event(std::string_view workflow, std::string_view event) const {
    const impl& m = self();
    auto w = m.rs->find_workflow(workflow);
    if (w == no_id) throw usage_error("unknown workflow '" + std::string(workflow) + "'");
    auto e = m.rs->workflows[w].find_event(event);
    if (e == no_id) throw usage_error("workflow '" + std::string(workflow) + "' has no event '" + std::string(event) + "'");
    return {w, e};
}

void engine::advance_to(instant t) { self().advance(t.time_since_epoch().count()); }

void engine::contact_result(case_id c, contact_outcome outcome, std::string_view agent, instant at) {
    self().get(c);
    advance_to(at);
    self().report_contact(c.index, outcome, agent);
}

std::size_t engine::pending_timers() const { return self().wheel.size(); }

instant engine::now() const { return instant{duration{self().now}}; }

case_id engine::find(std::string_view name) const {
    auto i = self().find_name(name);
    if (i == no_id) throw usage_error("no case named '" + std::string(name) + "'");
    return {i};
}
std::string engine::name(case_id c) const {
    self().get(c);
    return self().name_of(c.index);
}
const std::string& engine::workflow(case_id c) const { return self().wf_of(self().get(c)).name; }
const std::string& engine::state(case_id c) const {
    const case_rec& cr = self().get(c);
    return self().wf_of(cr).states[cr.at.leaf].name;
}
std::vector<std::string> engine::configuration(case_id c) const {
    const case_rec& cr = self().get(c);
    const workflow_def& wf = self().wf_of(cr);
    std::vector<std::string> out;
    for (std::uint32_t s = cr.at.leaf; s != no_id; s = wf.states[s].parent) out.push_back(wf.states[s].name);
    return out;
}
bool engine::in_state(case_id c, std::string_view state) const {
    const case_rec& cr = self().get(c);
    const workflow_def& wf = self().wf_of(cr);
    for (std::uint32_t s = cr.at.leaf; s != no_id; s = wf.states[s].parent)
        if (wf.states[s].name == state) return true;
    return false;
}
bool engine::closed(case_id c) const { return self().get(c).closed; }
value engine::attribute(case_id c, std::string_view name) const {
    const case_rec& cr = self().get(c);
    const workflow_def& wf = self().wf_of(cr);
    auto id = wf.find_attribute(name);
    if (id == no_id) throw usage_error("workflow '" + wf.name + "' has no attribute '" + std::string(name) + "'");
    return from_slot(self().attrs[cr.attrs + id], wf.attributes[id].type, self().strings, self().rs->enums);
}
value_map engine::attributes(case_id c) const {
    const case_rec& cr = self().get(c);
    const workflow_def& wf = self().wf_of(cr);
    value_map out;
    for (std::size_t i = 0; i < wf.attributes.size(); ++i)
        out.emplace(wf.attributes[i].name, from_slot(self().attrs[cr.attrs + i], wf.attributes[i].type, self().strings, self().rs->enums));
    return out;
}
std::uint64_t engine::version(case_id c) const { return self().get(c).version; }
std::size_t engine::case_count() const { return self().cases.size(); }

std::vector<history_entry> engine::history(case_id c) const {
    self().get(c);
    if (!self().options.keep_history) throw usage_error("history is off (engine_options::keep_history)");
    std::vector<history_entry> out;
    const auto list = self().records(c.index);
    for (const record& r : list.records) out.push_back(self().render(r, list.slots.data()));
    return out;
}

std::vector<history_entry> engine::timeline() const {
    if (!self().options.keep_history) throw usage_error("history is off (engine_options::keep_history)");
    std::vector<history_entry> out;
    const auto list = self().all_records();
    for (const record& r : list.records) out.push_back(self().render(r, list.slots.data()));
    return out;
}

std::string engine::export_history(case_id c, std::string_view rules_path) const {
    const impl& m = self();
    m.get(c);
    if (!m.options.keep_history) throw usage_error("history is off (engine_options::keep_history)");
    const case_rec& cr = m.cases[c.index];
    const workflow_def& wf = m.wf_of(cr);
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "rules" << YAML::Value << std::string(rules_path);
    // Inputs only: the rendered entries also carry derived fields (an opened
    // case's parent, a rejection's reason), which are skipped here.
    auto fields_map = [&](const history_entry& e, std::size_t skip_front, std::size_t skip_back) {
        out << YAML::Flow << YAML::BeginMap;
        for (std::size_t i = skip_front; i + skip_back < e.fields.size(); ++i)
            out << YAML::Key << e.fields[i].first << YAML::Value << e.fields[i].second;
        out << YAML::EndMap;
    };
    const auto list = m.records(c.index);
    const auto& recs = list.records;
    for (const record& rec : recs) {
        if (rec.kind != record_kind::opened) continue;
        history_entry e = m.render(rec, list.slots.data());
        out << YAML::Key << "case" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "workflow"
            << YAML::Value << wf.name << YAML::Key << "id" << YAML::Value << m.name_of(c.index) << YAML::Key
            << "opened_at" << YAML::Value << format_instant(e.at) << YAML::Key << "attributes" << YAML::Value;
        fields_map(e, rec.b != no_id ? 1 : 0, 0);
        out << YAML::EndMap;
    }
    out << YAML::Key << "events" << YAML::Value << YAML::BeginSeq;
    std::int64_t last_input = std::numeric_limits<std::int64_t>::min();
    for (const record& rec : recs)
        if (rec.kind == record_kind::opened ||
            ((rec.kind == record_kind::event || rec.kind == record_kind::rejected) && !(rec.code & internal_event)) ||
            (rec.kind == record_kind::contact && rec.code >= contact_input))
            last_input = rec.at;
    for (const record& rec : recs) {
        if ((rec.kind == record_kind::event || rec.kind == record_kind::rejected) && !(rec.code & internal_event)) {
            history_entry e = m.render(rec, list.slots.data());
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "at" << YAML::Value << format_instant(e.at)
                << YAML::Key << "event" << YAML::Value << e.subject << YAML::Key << "data" << YAML::Value;
            fields_map(e, 0, rec.kind == record_kind::rejected ? 1 : 0);
            out << YAML::EndMap;
        } else if (rec.kind == record_kind::contact && rec.code >= contact_input) {
            history_entry e = m.render(rec, list.slots.data());
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "at" << YAML::Value << format_instant(e.at) << YAML::Key
                << "contact" << YAML::Value << e.subject;
            if (!e.field("agent").empty()) out << YAML::Key << "agent" << YAML::Value << std::string(e.field("agent"));
            out << YAML::EndMap;
        }
    }
    // Timers that fired after the last input replay by advancing to the end.
    if (!recs.empty() && recs.back().at > last_input)
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "advance_to" << YAML::Value
            << format_instant(instant{duration{recs.back().at}}) << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

const rule_set& engine::rules() const { return self().rules; }

}  // namespace caseflow
