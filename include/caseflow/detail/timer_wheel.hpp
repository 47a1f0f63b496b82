// The engine's queue of pending deadlines: a hierarchical timing wheel over the
// whole signed 64-bit millisecond range (7 levels of 1024 slots, so no overflow
// list is needed).  A slot is an array of 8-byte entries (node index, low 32
// bits of the due key); a timer's due, payload and sequence live in a 24-byte
// node in a chunked slab.  Deterministic: timers fire in (due, insertion
// sequence) order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace caseflow::detail {

/// Handle of a timer.  `seq` is the timer's insertion sequence number, unique
/// over the wheel's lifetime, so it doubles as the slot's generation: a handle
/// whose timer has fired or been cancelled never matches again.
struct timer_id {
    std::uint32_t index = 0;
    std::uint64_t seq = 0;  ///< 0: the null handle

    explicit operator bool() const noexcept { return seq != 0; }
    friend bool operator==(timer_id a, timer_id b) noexcept { return a.index == b.index && a.seq == b.seq; }
    friend bool operator!=(timer_id a, timer_id b) noexcept { return !(a == b); }
};

/// What `timer_wheel::advance` hands to its callback.
struct expired_timer {
    timer_id id;
    std::int64_t due = 0;        ///< ms since the epoch, UTC
    std::uint64_t payload = 0;
};

/// Pending timers keyed by due instant (ms since the epoch, UTC).
///
/// insert and cancel are O(1) (cancel amortized: a cancelled timer's entry
/// stays in its slot until the slot is cascaded, fired or compacted, which
/// happens once a quarter of it is cancelled); each timer is re-filed at most
/// once per level on its way down.  A timer costs about 32 bytes.
///
///     timer_wheel wheel{now_ms};
///     timer_id id = wheel.insert(now_ms + 3'600'000, payload);
///     wheel.cancel(id);                    // harmless if it already fired
///     wheel.advance(later_ms, [&](const expired_timer& t) { fire(t.payload); });
class timer_wheel {
public:
    /// `now`: the wheel's initial time; timers due before it count as overdue.
    explicit timer_wheel(std::int64_t now = std::numeric_limits<std::int64_t>::min());

    timer_wheel(timer_wheel&&) noexcept = default;
    timer_wheel& operator=(timer_wheel&&) noexcept = default;
    timer_wheel(const timer_wheel&) = delete;
    timer_wheel& operator=(const timer_wheel&) = delete;

    /// Adds a timer.  Any `due` is accepted, including one already past: it
    /// fires at the next `advance`.
    timer_id insert(std::int64_t due, std::uint64_t payload);

    /// Removes a pending timer.  Returns false, and does nothing, for a timer
    /// that already fired or was cancelled, and for the null handle.
    bool cancel(timer_id id) noexcept;

    /// Whether `id` is still pending.
    bool pending(timer_id id) const noexcept;
    /// The handle of the timer pending in slot `index` (a timer_id::index),
    /// or the null handle: lets an owner keep 4-byte indexes instead of
    /// handles when it removes its index whenever the timer fires or is cancelled.
    timer_id handle(std::uint32_t index) const noexcept;
    /// The payload a pending timer was inserted with (0 for any other handle).
    std::uint64_t payload(timer_id id) const noexcept;

    /// Fires, one by one, every timer due at or before `now`, in (due,
    /// insertion) order.  The callback may insert and cancel timers: a new one
    /// due at or before `now` fires in this same call, in its place in that
    /// order; a cancelled one does not fire.  Returns how many fired.
    /// If the callback throws, the timer it was given counts as fired and the
    /// wheel stays consistent.
    template <class F>
    std::size_t advance(std::int64_t now, F&& on_expire) {
        std::size_t fired = 0;
        expired_timer t;
        while (pop_expired(now, t)) {
            ++fired;
            on_expire(static_cast<const expired_timer&>(t));
        }
        return fired;
    }

    /// The step behind `advance`: removes the earliest timer due at or before
    /// `now` into `out` and returns true, or returns false when none is due.
    bool pop_expired(std::int64_t now, expired_timer& out);

    /// The earliest pending due instant, if any.
    std::optional<std::int64_t> next_due() const;

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    /// The time the wheel has advanced to.
    std::int64_t now() const noexcept { return from_key(now_); }

    /// Bytes held: node slab, overdue heap and the wheel itself.
    std::size_t memory_bytes() const noexcept;

private:
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

    struct node {
        std::int64_t due;
        std::uint64_t payload;  // the free list's link while free
        std::uint64_t seq;      // 0 while free or cancelled
    };
    static_assert(sizeof(node) == 24, "a timer should cost 24 bytes of slab");

    // What a slot holds per timer: enough to cascade a slot up to
    // max_low_level without touching a node.
    struct entry {
        std::uint32_t index;
        std::uint32_t low;  // the due key's low 32 bits
    };
    // A cancelled timer's entry (a zombie) stays in its slot until the slot
    // is cascaded, fired or compacted; its node waits on the slot's zombie
    // chain (through node::payload) and joins the free list with the chain.
    struct slot_array {
        std::vector<entry> entries;
        std::uint32_t zombies = 0;  // zombie entries not yet fired past
        std::uint32_t zombie_head = none;
        std::uint32_t zombie_tail = none;
    };

    struct overdue_entry {
        std::int64_t due;
        std::uint64_t seq;
        std::uint32_t index;
    };

    // 1024 slots a level: a week of deadlines sits two levels up, so a timer
    // is re-filed about twice on its way down.  Slot widths: 1 ms, 1.024 s,
    // 17.5 min, 12.4 days, 34.8 years, ...
    static constexpr unsigned level_bits = 10;
    static constexpr unsigned slots = 1u << level_bits;
    static constexpr unsigned levels = (64 + level_bits - 1) / level_bits;
    static constexpr unsigned words = slots / 64;  // bitmap words per level
    // The highest level whose slots cascade from entry::low alone (when a slot
    // is cascaded, its digit and those above are now_'s; below that a key
    // has at most 32 bits of its own).  Slots below it also tell their due
    // instants without nodes, since their own digit then fits in entry::low.
    static constexpr unsigned max_low_level = 32 / level_bits;
    static_assert(level_bits >= 6 && level_bits <= 12, "one summary word per level");
    static_assert(levels <= 32, "occupied_levels_ has a bit per level");
    static constexpr unsigned chunk_bits = 12;
    static constexpr std::uint32_t chunk_size = 1u << chunk_bits;
    static constexpr std::size_t kept_capacity = 64;  // entries an emptied slot keeps allocated

    // Order-preserving map of signed ms onto unsigned keys, so the wheel's
    // digit arithmetic covers the whole int64 range.
    static std::uint64_t to_key(std::int64_t t) noexcept {
        return static_cast<std::uint64_t>(t) ^ (std::uint64_t{1} << 63);
    }
    static std::int64_t from_key(std::uint64_t k) noexcept {
        return static_cast<std::int64_t>(k ^ (std::uint64_t{1} << 63));
    }

    node& at(std::uint32_t i) noexcept { return chunks_[i >> chunk_bits][i & (chunk_size - 1)]; }
    const node& at(std::uint32_t i) const noexcept { return chunks_[i >> chunk_bits][i & (chunk_size - 1)]; }
    bool live(std::uint32_t i) const noexcept { return (live_[i / 64] >> (i % 64)) & 1; }

    std::uint32_t allocate();
    void retire(std::uint32_t i) noexcept;      // no longer pending (live bit and seq cleared)
    void release(std::uint32_t i) noexcept;     // retire() and back onto the free list
    void release_zombies(slot_array& a) noexcept;  // the slot's zombie chain onto the free list
    void mark_occupied(std::uint32_t s) noexcept;
    void mark_empty(std::uint32_t s) noexcept;
    std::uint32_t first_occupied(unsigned level) const noexcept;
    std::uint32_t slot_of(std::uint64_t key) const noexcept;  // key >= now_
    // The due key of a live entry: from entry::low and now_ when `from_low`
    // (see max_low_level), else from its node.
    std::uint64_t entry_key(const entry& e, bool from_low) const noexcept;
    std::size_t first_unfired(std::uint32_t s) const noexcept;  // drain_pos_ in the slot being fired, else 0
    void file(std::uint32_t i, std::uint64_t key);
    void cascade(std::uint32_t s, std::uint64_t before);  // now_ was `before`; all or nothing
    void clear_slot(std::uint32_t s) noexcept;  // every entry consumed or dropped
    void drop_zombies(std::uint32_t s) noexcept;
    std::uint32_t next_due_slot(std::uint64_t limit);  // a level-0 slot or none
    void drop_stale_overdue() noexcept;
    std::uint64_t slot_start(unsigned level, unsigned slot) const noexcept;
    void take(std::uint32_t i, expired_timer& out) noexcept;

    std::vector<std::unique_ptr<node[]>> chunks_;
    std::vector<std::uint64_t> live_;  // a bit per node: pending, not cancelled
    std::uint32_t capacity_ = 0;       // nodes allocated
    std::uint32_t free_ = none;        // free list through node::payload
    std::uint64_t now_;                // key of the wheel's time
    std::uint64_t next_seq_ = 1;
    std::size_t size_ = 0;
    std::vector<slot_array> slots_;                 // levels * slots
    std::uint64_t occupied_[levels * words] = {};  // one bit per non-empty slot
    std::uint64_t occupied_words_[levels] = {};    // one bit per non-zero word
    std::uint32_t occupied_levels_ = 0;            // one bit per level with any
    // The level-0 slot being fired, and how far: entries before drain_pos_
    // have fired.  Timers a callback adds at this instant join its end.
    std::uint32_t drain_slot_ = none;
    std::size_t drain_pos_ = 0;
    std::vector<overdue_entry> overdue_;   // min-heap on (due, seq); lazy deletion
    std::size_t overdue_live_ = 0;
    mutable std::int64_t cached_next_ = 0;  // next_due(), while cache_valid_
    mutable bool cache_valid_ = false;
};

}  // namespace caseflow::detail
