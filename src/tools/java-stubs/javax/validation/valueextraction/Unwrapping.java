package javax.validation.valueextraction;

/** Compile-time stand-in: Debian has Bean Validation 1.1 only; Unwrapping is 2.0. */
public interface Unwrapping {
  interface Unwrap extends javax.validation.Payload {}
  interface Skip extends javax.validation.Payload {}
}
