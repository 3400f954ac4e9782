/**
 * Settings: where each {@code tally.*} value comes from ({@link dev.tally.config.Settings}) and all of them, read
 * once at startup ({@link dev.tally.config.TallyConfig}). The bottom layer beside {@code problem}.
 */
package dev.tally.config;
