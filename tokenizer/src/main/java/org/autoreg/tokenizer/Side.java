package org.autoreg.tokenizer;

/** Which end of a sequence truncation cuts or padding fills. */
public enum Side {
    LEFT, RIGHT
}
