package io.swagger.v3.oas.annotations.media;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Compile-time stand-in: Debian's swagger-annotations 2.1.6 predates requiredMode (2.2.5). */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Schema {
  Class<?> implementation() default Void.class;
  String name() default "";
  String title() default "";
  String description() default "";
  String example() default "";
  String format() default "";
  boolean nullable() default false;
  boolean deprecated() default false;
  boolean enumAsRef() default false;
  RequiredMode requiredMode() default RequiredMode.AUTO;
  String[] allowableValues() default {};
  enum RequiredMode { AUTO, REQUIRED, NOT_REQUIRED }
}
