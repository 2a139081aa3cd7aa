package org.millicent.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.millicent.servlet.MillicentFilter;
import org.millicent.vendor.VerifiedPayment;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a handler parameter of type {@link VerifiedPayment} to what the request paid (the
 * filter's request attribute {@link MillicentFilter#PAYMENT}); {@code null} on a request that paid
 * nothing (a handler that is neither {@link Priced} nor on a priced path). Stateless.
 */
final class VerifiedPaymentArgumentResolver implements HandlerMethodArgumentResolver {
  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return VerifiedPayment.class.equals(parameter.getParameterType());
  }

  @Override
  public @Nullable Object resolveArgument(
      MethodParameter parameter,
      @Nullable ModelAndViewContainer mav,
      NativeWebRequest request,
      @Nullable WebDataBinderFactory binders) {
    HttpServletRequest req = request.getNativeRequest(HttpServletRequest.class);
    return req == null ? null : req.getAttribute(MillicentFilter.PAYMENT);
  }
}
