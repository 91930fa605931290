package com.fasterxml.jackson.datatype.jdk8;

/** Compile-time stand-in: Debian ships no jackson-datatype-jdk8. */
public class Jdk8Module extends com.fasterxml.jackson.databind.module.SimpleModule {}
