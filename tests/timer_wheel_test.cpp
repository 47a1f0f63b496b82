#define BOOST_TEST_MODULE timer_wheel
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <new>
#include <random>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "caseflow/detail/timer_wheel.hpp"

using caseflow::detail::expired_timer;
using caseflow::detail::timer_id;
using caseflow::detail::timer_wheel;

namespace {

constexpr std::int64_t t0 = 1'790'000'000'000;  // 2026-09-21T14:13:20Z, ms
constexpr std::int64_t hour = 3'600'000;
constexpr std::int64_t day = 24 * hour;
constexpr std::int64_t min_ms = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t max_ms = std::numeric_limits<std::int64_t>::max();

std::vector<std::uint64_t> fire(timer_wheel& w, std::int64_t now) {
    std::vector<std::uint64_t> out;
    w.advance(now, [&](const expired_timer& t) { out.push_back(t.payload); });
    return out;
}

using payloads = std::vector<std::uint64_t>;

// Allocation failure on demand: operator new throws std::bad_alloc once
// `allocations_left` allocations have been made (unlimited by default).
constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();
std::size_t allocations_left = unlimited;

}  // namespace

// (g++ sees malloc/free behind new/delete once these are inlined.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
    if (allocations_left == 0) throw std::bad_alloc();
    if (allocations_left != unlimited) --allocations_left;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

BOOST_AUTO_TEST_SUITE(timer_wheel_suite)

BOOST_AUTO_TEST_CASE(fires_in_due_order_never_early) {
    timer_wheel w{t0};
    w.insert(t0 + 5 * hour, 5);
    w.insert(t0 + 1, 1);
    w.insert(t0 + 3 * day, 7);
    w.insert(t0 + 70, 2);
    w.insert(t0 + 5 * hour - 1, 4);
    w.insert(t0 + 4100, 3);
    w.insert(t0 + 3 * day + 1, 8);
    w.insert(t0 + 40 * day, 9);
    w.insert(t0 + 5 * hour + 1, 6);
    BOOST_TEST(w.size() == 9u);
    BOOST_TEST(*w.next_due() == t0 + 1);

    BOOST_TEST(fire(w, t0) == payloads{}, boost::test_tools::per_element());
    BOOST_TEST(fire(w, t0 + 5 * hour - 2) == (payloads{1, 2, 3}), boost::test_tools::per_element());
    BOOST_TEST(*w.next_due() == t0 + 5 * hour - 1);
    BOOST_TEST(fire(w, t0 + 5 * hour) == (payloads{4, 5}), boost::test_tools::per_element());
    BOOST_TEST(fire(w, t0 + 3 * day) == (payloads{6, 7}), boost::test_tools::per_element());
    BOOST_TEST(*w.next_due() == t0 + 3 * day + 1);
    BOOST_TEST(fire(w, t0 + 365 * day) == (payloads{8, 9}), boost::test_tools::per_element());
    BOOST_TEST(w.empty());
    BOOST_TEST(!w.next_due());
    BOOST_TEST(w.now() == t0 + 365 * day);
}

BOOST_AUTO_TEST_CASE(ties_fire_in_insertion_order) {
    timer_wheel w{t0};
    const std::int64_t due = t0 + 2 * day + 12345;
    w.insert(due, 1);                       // filed high, cascades down
    w.insert(due, 2);
    w.insert(t0 + 1, 100);
    BOOST_TEST(fire(w, due - 10) == payloads{100}, boost::test_tools::per_element());
    w.insert(due, 3);                       // filed straight into level 0
    w.insert(due - 5, 0);
    w.insert(due, 4);
    BOOST_TEST(fire(w, due) == (payloads{0, 1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cancel_and_stale_handles) {
    timer_wheel w{t0};
    const timer_id a = w.insert(t0 + 10, 1);
    const timer_id b = w.insert(t0 + 10, 2);
    const timer_id c = w.insert(t0 + day, 3);
    BOOST_TEST(w.pending(a));
    BOOST_TEST(w.cancel(b));
    BOOST_TEST(!w.pending(b));
    BOOST_TEST(!w.cancel(b));               // twice: no-op
    BOOST_TEST(!w.cancel(timer_id{}));      // null handle
    BOOST_TEST(!w.cancel(timer_id{123456789, 42}));  // out of range
    BOOST_TEST(w.size() == 2u);
    BOOST_TEST(fire(w, t0 + 10) == payloads{1}, boost::test_tools::per_element());
    BOOST_TEST(!w.cancel(a));               // already fired
    // The freed node is reused; the old handle must not reach the new timer.
    const timer_id d = w.insert(t0 + 20, 4);
    BOOST_TEST(!w.cancel(a));
    BOOST_TEST(!w.cancel(b));
    BOOST_TEST(w.pending(d));
    BOOST_TEST(w.cancel(c));
    BOOST_TEST(*w.next_due() == t0 + 20);
    BOOST_TEST(fire(w, t0 + 2 * day) == payloads{4}, boost::test_tools::per_element());
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(handles_and_payloads_by_slot_index) {
    // The engine keeps 4-byte slot indexes and asks the wheel for the rest.
    timer_wheel w{t0};
    const timer_id a = w.insert(t0 + hour, 0xabcdef0123ull);
    const timer_id b = w.insert(t0 + 2 * hour, 7);
    BOOST_TEST((w.handle(a.index) == a));
    BOOST_TEST(w.payload(w.handle(a.index)) == 0xabcdef0123ull);
    BOOST_TEST(w.payload(b) == 7u);
    BOOST_TEST(!w.handle(b.index + 1));     // in the slab, never issued
    BOOST_TEST(!w.handle(b.index + 1000));  // past the slab
    BOOST_TEST(w.cancel(w.handle(a.index)));
    BOOST_TEST(!w.handle(a.index));         // cancelled: no handle, no payload
    BOOST_TEST(w.payload(a) == 0u);
    BOOST_TEST((fire(w, t0 + 3 * hour) == payloads{7}));
    BOOST_TEST(!w.handle(b.index));         // fired
    const timer_id c = w.insert(t0 + 4 * hour, 9);  // may reuse a freed slot: a new handle
    BOOST_TEST((w.handle(c.index) == c));
    BOOST_TEST((c != a && c != b));
}

BOOST_AUTO_TEST_CASE(callback_inserts_and_cancels) {
    timer_wheel w{t0};
    std::vector<timer_id> ids;
    for (std::uint64_t i = 0; i < 6; ++i) ids.push_back(w.insert(t0 + 100 + static_cast<std::int64_t>(i), i));
    const timer_id later = w.insert(t0 + 1000, 50);
    std::vector<std::int64_t> dues;
    std::vector<std::uint64_t> fired;
    w.advance(t0 + 500, [&](const expired_timer& t) {
        dues.push_back(t.due - t0);
        fired.push_back(t.payload);
        if (t.payload == 1) {
            w.insert(t.due, 10);            // due now: after the other ties at this instant
            w.insert(t0 + 50, 11);          // already past: fires next
            w.insert(t0 + 104, 12);         // later in this advance, after 4
            w.insert(t0 + 501, 13);         // not in this advance
            BOOST_TEST(w.cancel(ids[3]));   // due in this advance: must not fire
            BOOST_TEST(!w.cancel(ids[0]));  // fired already
        }
        if (t.payload == 10) w.cancel(later);
    });
    BOOST_TEST(fired == (payloads{0, 1, 11, 10, 2, 4, 12, 5}), boost::test_tools::per_element());
    BOOST_TEST(dues == (std::vector<std::int64_t>{100, 101, 50, 101, 102, 104, 104, 105}),
               boost::test_tools::per_element());
    BOOST_TEST(w.size() == 1u);
    BOOST_TEST(*w.next_due() == t0 + 501);
}

BOOST_AUTO_TEST_CASE(far_future_and_past) {
    timer_wheel w{t0};
    w.insert(max_ms, 1);
    w.insert(t0 + 30 * 365 * day, 2);
    w.insert(t0 - 10 * 365 * day, 3);       // before the wheel's time: overdue
    w.insert(min_ms, 4);
    w.insert(-5, 5);
    w.insert(t0, 6);                        // exactly now
    BOOST_TEST(*w.next_due() == min_ms);
    BOOST_TEST(fire(w, t0) == (payloads{4, 5, 3, 6}), boost::test_tools::per_element());
    BOOST_TEST(*w.next_due() == t0 + 30 * 365 * day);
    BOOST_TEST(fire(w, max_ms - 1) == payloads{2}, boost::test_tools::per_element());
    BOOST_TEST(*w.next_due() == max_ms);
    BOOST_TEST(fire(w, max_ms) == payloads{1}, boost::test_tools::per_element());

    timer_wheel from_start;                 // starts at the minimum instant
    from_start.insert(-3 * day, 1);
    from_start.insert(3 * day, 3);
    from_start.insert(0, 2);
    BOOST_TEST(fire(from_start, 0) == (payloads{1, 2}), boost::test_tools::per_element());
    BOOST_TEST(fire(from_start, max_ms) == payloads{3}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(time_going_backwards_fires_nothing_early) {
    timer_wheel w{t0};
    w.advance(t0 + day, [](const expired_timer&) {});
    w.insert(t0 + 10, 1);                   // overdue relative to the wheel
    w.insert(t0 + 2 * day, 2);
    BOOST_TEST(fire(w, t0) == payloads{}, boost::test_tools::per_element());
    BOOST_TEST(fire(w, t0 + 10) == payloads{1}, boost::test_tools::per_element());
    BOOST_TEST(fire(w, t0 + 2 * day) == payloads{2}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(storm_of_simultaneous_deadlines) {
    constexpr std::uint64_t n = 1'000'000;
    timer_wheel w{t0};
    const std::int64_t due = t0 + 26 * hour + 17;
    for (std::uint64_t i = 0; i < n; ++i) w.insert(due, i);
    BOOST_TEST(w.size() == n);
    // Memory: the node slab plus a little bookkeeping.
    const double per_timer = static_cast<double>(w.memory_bytes()) / n;
    BOOST_TEST_MESSAGE("bytes per timer: " << per_timer);
    BOOST_TEST(per_timer <= 33.0);
    BOOST_TEST(fire(w, due - 1).empty());
    std::uint64_t expected = 0;
    bool in_order = true;
    w.advance(due, [&](const expired_timer& t) { in_order = in_order && t.payload == expected++; });
    BOOST_TEST(in_order);
    BOOST_TEST(expected == n);
    BOOST_TEST(w.empty());
}

// The wheel against a std::multimap keyed by (due, insertion sequence), with
// callbacks that insert and cancel while an advance is under way.
BOOST_AUTO_TEST_CASE(random_against_reference_model) {
    std::mt19937_64 rng{20260922};
    timer_wheel w{t0};
    std::multimap<std::pair<std::int64_t, std::uint64_t>, std::uint64_t> ref;
    std::map<std::uint64_t, std::int64_t> due_of;  // seq -> due, pending ones
    std::vector<timer_id> handles;                  // every handle ever issued
    std::int64_t now = t0;
    std::uint64_t next_payload = 0;
    std::size_t fired_total = 0, mismatches = 0;

    auto random_due = [&]() -> std::int64_t {
        switch (rng() % 8) {
            case 0: return now + static_cast<std::int64_t>(rng() % 64);           // very soon
            case 1: return now + static_cast<std::int64_t>(rng() % (10 * day));   // days
            case 2: return now - static_cast<std::int64_t>(rng() % (2 * day));    // past
            case 3: return now + static_cast<std::int64_t>(rng() % (20 * 365 * day));
            case 4: return t0 + static_cast<std::int64_t>(rng() % 16) * hour;     // heavy ties
            case 5: return now;                                                   // exactly now
            case 6: return (rng() % 2) ? max_ms - static_cast<std::int64_t>(rng() % 4) : min_ms;
            default: return now + static_cast<std::int64_t>(rng() % 5000);
        }
    };
    auto do_insert = [&](std::int64_t due) {
        const std::uint64_t payload = next_payload++;
        const timer_id id = w.insert(due, payload);
        ref.emplace(std::make_pair(due, id.seq), payload);
        due_of[id.seq] = due;
        handles.push_back(id);
    };
    auto do_cancel = [&]() {
        if (handles.empty()) return;
        const timer_id id = handles[rng() % handles.size()];
        auto it = due_of.find(id.seq);
        const bool live = it != due_of.end();
        if (w.cancel(id) != live) ++mismatches;
        if (live) {
            ref.erase(ref.find(std::make_pair(it->second, id.seq)));
            due_of.erase(it);
        }
    };
    auto check_next = [&]() {
        const auto next = w.next_due();
        if (ref.empty() ? next.has_value() : (!next || *next != ref.begin()->first.first)) ++mismatches;
        if (w.size() != ref.size()) ++mismatches;
    };

    for (int round = 0; round < 20000; ++round) {
        const unsigned op = rng() % 10;
        if (op < 5) {
            do_insert(random_due());
        } else if (op < 7) {
            do_cancel();
        } else {
            const std::int64_t target = (rng() % 50 == 0) ? now + static_cast<std::int64_t>(rng() % (400 * day))
                                                          : now + static_cast<std::int64_t>(rng() % (2 * hour));
            w.advance(target, [&](const expired_timer& t) {
                ++fired_total;
                // Must be the reference's earliest, and due.
                if (ref.empty() || ref.begin()->first != std::make_pair(t.due, t.id.seq) ||
                    ref.begin()->second != t.payload || t.due > target) {
                    ++mismatches;
                    return;
                }
                ref.erase(ref.begin());
                due_of.erase(t.id.seq);
                const unsigned act = rng() % 8;
                if (act == 0) do_insert(target - static_cast<std::int64_t>(rng() % 100));  // due now
                if (act == 1) do_insert(t.due);                                             // tie
                if (act == 2) do_cancel();
                if (act == 3) do_insert(target + 1 + static_cast<std::int64_t>(rng() % day));
            });
            if (!ref.empty() && ref.begin()->first.first <= target) ++mismatches;  // missed one
            now = std::max(now, target);
        }
        check_next();
        BOOST_REQUIRE_MESSAGE(mismatches == 0, "diverged in round " << round);
    }
    // Drain everything.
    w.advance(max_ms, [&](const expired_timer& t) {
        ++fired_total;
        if (ref.empty() || ref.begin()->first != std::make_pair(t.due, t.id.seq)) ++mismatches;
        else ref.erase(ref.begin());
    });
    BOOST_TEST(mismatches == 0u);
    BOOST_TEST(ref.empty());
    BOOST_TEST(w.empty());
    BOOST_TEST_MESSAGE("fired " << fired_total << " timers");
    BOOST_TEST(fired_total > 5000u);
}

// Big slots cascade from both ends of their list at once (with a bounded back
// half); the order must still be exactly (due, insertion).
BOOST_AUTO_TEST_CASE(big_cascades_keep_order) {
    std::mt19937_64 rng{99};
    timer_wheel w{t0};
    std::vector<std::pair<std::pair<std::int64_t, std::uint64_t>, std::uint64_t>> expected;
    std::vector<timer_id> ids;
    for (std::uint64_t i = 0; i < 60000; ++i) {
        // Two hot spots with heavy ties, and a spread over an hour.
        const std::int64_t due = i % 3 == 0   ? t0 + 20 * 60'000 + static_cast<std::int64_t>(rng() % 50)
                                 : i % 3 == 1 ? t0 + 3 * day
                                              : t0 + static_cast<std::int64_t>(rng() % hour);
        ids.push_back(w.insert(due, i));
        expected.push_back({{due, ids.back().seq}, i});
    }
    for (std::size_t i = 0; i < ids.size(); i += 7) BOOST_TEST(w.cancel(ids[i]));
    std::vector<std::pair<std::pair<std::int64_t, std::uint64_t>, std::uint64_t>> kept;
    for (std::size_t i = 0; i < expected.size(); ++i)
        if (i % 7 != 0) kept.push_back(expected[i]);
    std::sort(kept.begin(), kept.end());
    std::vector<std::uint64_t> want, got;
    for (const auto& k : kept) want.push_back(k.second);
    // Several advances, so some slots are cascaded, some fired directly.
    for (std::int64_t now = t0; now <= t0 + 4 * day; now += 7 * 60'000 + 13)
        w.advance(now, [&](const expired_timer& t) { got.push_back(t.payload); });
    BOOST_TEST(got == want, boost::test_tools::per_element());
    BOOST_TEST(w.empty());
}

// A cancelled timer leaves its entry in its slot until the slot is cascaded,
// fired or compacted.  Cancelling must neither leak (memory stays bounded
// under endless insert/cancel churn with the clock standing still) nor let a
// cancelled timer show through next_due() or fire.
BOOST_AUTO_TEST_CASE(cancel_churn_stays_bounded_and_exact) {
    std::mt19937_64 rng{5};
    timer_wheel w{t0};
    constexpr std::size_t live = 20000;
    std::vector<timer_id> ids(live);
    std::vector<std::int64_t> due_of(live);
    for (std::size_t i = 0; i < live; ++i) {
        due_of[i] = t0 + day + static_cast<std::int64_t>(rng() % (3 * day));
        ids[i] = w.insert(due_of[i], i);
    }
    const std::size_t settled = w.memory_bytes();
    std::size_t most = settled;
    for (std::size_t k = 0; k < 400'000; ++k) {  // each timer replaced 20 times over
        const std::size_t v = rng() % live;
        BOOST_REQUIRE(w.cancel(ids[v]));
        due_of[v] = t0 + day + static_cast<std::int64_t>(rng() % (3 * day));
        ids[v] = w.insert(due_of[v], v);
        if (k % 256 == 0) most = std::max(most, w.memory_bytes());
    }
    BOOST_TEST(w.size() == live);
    BOOST_TEST_MESSAGE("bytes per timer settled " << double(settled) / live << ", most under churn "
                                                  << double(most) / live);
    // Zombies are at most a quarter of a slot; with array slack that stays
    // well under twice the settled footprint.
    BOOST_TEST(most < 2 * settled);
    // The earliest live timer, not a cancelled one, is next; all fire in order.
    const std::int64_t earliest = *std::min_element(due_of.begin(), due_of.end());
    BOOST_TEST(*w.next_due() == earliest);
    std::vector<std::pair<std::int64_t, std::uint64_t>> want, got;
    for (std::size_t i = 0; i < live; ++i) want.emplace_back(due_of[i], ids[i].seq);
    std::sort(want.begin(), want.end());
    for (std::int64_t now = t0; now <= t0 + 5 * day; now += 3 * 60'000 + 7)
        w.advance(now, [&](const expired_timer& t) {
            BOOST_REQUIRE(t.payload < live);
            BOOST_REQUIRE(ids[t.payload] == t.id);  // never a cancelled one
            got.emplace_back(t.due, t.id.seq);
        });
    BOOST_TEST(got.size() == want.size());
    BOOST_TEST((got == want));  // (due, sequence) order, exactly the live ones
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(cancelling_the_earliest_moves_next_due) {
    timer_wheel w{t0};
    const timer_id a = w.insert(t0 + hour, 1);          // level 2
    const timer_id b = w.insert(t0 + hour + 5, 2);      // same slot
    const timer_id c = w.insert(t0 + 3 * day, 3);
    BOOST_TEST(*w.next_due() == t0 + hour);
    BOOST_TEST(w.cancel(a));
    BOOST_TEST(*w.next_due() == t0 + hour + 5);
    BOOST_TEST(w.cancel(b));  // the slot holds only cancelled timers now
    BOOST_TEST(*w.next_due() == t0 + 3 * day);
    BOOST_TEST(fire(w, t0 + 2 * hour).empty());
    // Inside the instant being fired: a callback cancels the next tie.
    std::vector<timer_id> ties;
    for (std::uint64_t i = 0; i < 4; ++i) ties.push_back(w.insert(t0 + 2 * day, 10 + i));
    payloads seen;
    w.advance(t0 + 2 * day, [&](const expired_timer& t) {
        seen.push_back(t.payload);
        if (t.payload == 10) BOOST_TEST(w.cancel(ties[1]));
        if (t.payload == 12) BOOST_TEST(w.cancel(ties[3]));  // the last one: the slot empties
    });
    BOOST_TEST((seen == payloads{10, 12}), boost::test_tools::per_element());
    BOOST_TEST(*w.next_due() == t0 + 3 * day);
    BOOST_TEST(w.pending(c));
    BOOST_TEST(w.size() == 1u);
}

// Re-filing a slot allocates; when that fails, advance() throws and the wheel
// is as it was before the cascade: retried with more memory, every timer
// fires once, in order.
BOOST_AUTO_TEST_CASE(out_of_memory_in_a_cascade_loses_nothing) {
    std::mt19937_64 rng{3};
    timer_wheel w{t0};
    std::vector<std::pair<std::int64_t, std::uint64_t>> want, got;
    for (std::uint64_t i = 0; i < 3000; ++i) {
        const std::int64_t due = t0 + day + static_cast<std::int64_t>(rng() % hour);  // 4 level-2 slots
        want.emplace_back(due, w.insert(due, i).seq);
    }
    std::sort(want.begin(), want.end());
    got.reserve(want.size());  // the callback must not allocate
    std::size_t failures = 0;
    for (std::size_t budget = 0; !w.empty() && budget < 100000; budget += 7) {
        allocations_left = budget;
        try {
            w.advance(t0 + 2 * day, [&](const expired_timer& t) { got.emplace_back(t.due, t.id.seq); });
        } catch (const std::bad_alloc&) {
            ++failures;
        }
        allocations_left = unlimited;
    }
    BOOST_TEST_MESSAGE(failures << " advances ran out of memory");
    BOOST_TEST(failures > 10u);
    BOOST_TEST(got.size() == want.size());
    BOOST_TEST((got == want));
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(same_inputs_same_order) {
    auto run = [] {
        std::mt19937_64 rng{7};
        timer_wheel w{t0};
        for (int i = 0; i < 50000; ++i) w.insert(t0 + static_cast<std::int64_t>(rng() % 1000), rng());
        std::vector<std::uint64_t> out;
        w.advance(t0 + 1000, [&](const expired_timer& t) { out.push_back(t.payload); });
        return out;
    };
    BOOST_TEST(run() == run());
}

BOOST_AUTO_TEST_SUITE_END()
