// An owning, move-only, type-erased callable: what the public headers would
// use std::function for.  Written here because <functional> costs a host
// translation unit about 0.4 s of compile time (issue 5's compile-time row)
// and the engine needs none of its copyability or target() machinery.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace caseflow::detail {

template <class Signature>
class callback;

template <class R, class... Args>
class callback<R(Args...)> {
public:
    callback() = default;
    callback(std::nullptr_t) {}
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, callback> &&
                                                std::is_invocable_r_v<R, std::decay_t<F>&, Args...>>>
    callback(F f) : impl_(std::make_unique<holder<std::decay_t<F>>>(std::move(f))) {}

    explicit operator bool() const { return impl_ != nullptr; }
    R operator()(Args... args) const { return impl_->call(std::forward<Args>(args)...); }

private:
    struct base {
        virtual ~base() = default;
        virtual R call(Args... args) = 0;
    };
    template <class F>
    struct holder final : base {
        F f;
        explicit holder(F x) : f(std::move(x)) {}
        R call(Args... args) override { return static_cast<R>(f(std::forward<Args>(args)...)); }
    };
    std::unique_ptr<base> impl_;
};

}  // namespace caseflow::detail
