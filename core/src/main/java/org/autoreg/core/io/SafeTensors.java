package org.autoreg.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoreg.tokenizer.io.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data. Files written
 * here load in PyTorch ({@code safetensors.torch.load_file}) and vice versa. F32 and F64 tensors;
 * F16 and BF16 are read too (widened to F32, as Hugging Face checkpoints often come).
 * Reading checks every offset and size, so a truncated or corrupt file is an error, not garbage.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** Tensors in file order, and the {@code __metadata__} strings. */
    public record Contents(Map<String, INDArray> tensors, Map<String, String> metadata) {
    }

    /** Writes {@code tensors} (F32 or F64) and {@code metadata}, atomically. */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            String dtype = switch (a.dataType()) {
                case FLOAT -> "F32";
                case DOUBLE -> "F64";
                default -> throw new IllegalArgumentException("tensor " + e.getKey() + ": dtype " + a.dataType()
                        + " is not supported (F32, F64)");
            };
            long bytes = a.length() * a.dataType().width();
            ObjectNode t = header.putObject(e.getKey()).put("dtype", dtype);
            for (long d : a.shape()) {
                t.withArray("shape").add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] h = JSON.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        byte[] headerBytes = java.util.Arrays.copyOf(h, padded);
        java.util.Arrays.fill(headerBytes, h.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            for (INDArray a : tensors.values()) {
                INDArray c = a.dup('c');
                ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(c.length() * c.dataType().width()))
                        .order(ByteOrder.LITTLE_ENDIAN);
                if (c.dataType() == DataType.FLOAT) {
                    buf.asFloatBuffer().put(c.data().asFloat());
                } else {
                    buf.asDoubleBuffer().put(c.data().asDouble());
                }
                out.write(buf.array());
            }
        });
    }

    /** Reads every tensor; any inconsistency is a {@link CorruptFileException} naming the file. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (size < 8) {
                throw corrupt(file, "only " + size + " bytes; a safetensors file starts with an 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw corrupt(file, "header length " + n + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw corrupt(file, "the header is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (header == null || !header.isObject()) {
                throw corrupt(file, "the header is not a JSON object");
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            long covered = 0;
            for (Map.Entry<String, JsonNode> e : header.properties()) {
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), tensor(file, ch, e.getKey(), e.getValue(), dataStart, dataSize));
                covered += e.getValue().get("data_offsets").get(1).asLong() - e.getValue().get("data_offsets").get(0).asLong();
            }
            if (covered != dataSize) {
                throw corrupt(file, "the tensors cover " + covered + " bytes but the file holds " + dataSize
                        + " bytes of data");
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + " (file not found)");
        }
    }

    private static INDArray tensor(Path file, FileChannel ch, String name, JsonNode t, long dataStart, long dataSize)
            throws IOException {
        String dtype = t.path("dtype").asText();
        int width = switch (dtype) {
            case "F16", "BF16" -> 2;
            case "F32" -> 4;
            case "F64" -> 8;
            default -> throw corrupt(file, "tensor " + name + " has dtype '" + dtype + "'; autoreg reads F32, F64, and "
                    + "F16 and BF16 (as F32)");
        };
        JsonNode shapeNode = t.get("shape");
        JsonNode off = t.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || off == null || off.size() != 2) {
            throw corrupt(file, "tensor " + name + " lacks a shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            if (shape[i] < 0) {
                throw corrupt(file, "tensor " + name + " has a negative dimension");
            }
            count *= shape[i];
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize || end - begin != count * width) {
            throw corrupt(file, "tensor " + name + " (" + dtype + " " + java.util.Arrays.toString(shape) + ") claims bytes "
                    + begin + ".." + end + " of " + dataSize + "; the file is truncated or corrupt");
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        buf.flip();
        if (width == 2) {                                    // half precision, widened exactly to float32
            float[] v = new float[(int) count];
            java.nio.ShortBuffer h = buf.asShortBuffer();
            for (int i = 0; i < v.length; i++) {
                short b = h.get(i);
                v[i] = dtype.equals("BF16") ? Float.intBitsToFloat((b & 0xFFFF) << 16) : halfToFloat(b);
            }
            return Nd4j.create(v, shape, 'c');
        }
        if (width == 4) {
            float[] v = new float[(int) count];
            buf.asFloatBuffer().get(v);
            return Nd4j.create(v, shape, 'c');
        }
        double[] v = new double[(int) count];
        buf.asDoubleBuffer().get(v);
        return Nd4j.create(v, shape, 'c');
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new java.io.EOFException("unexpected end of file");
            }
            pos += r;
        }
    }

    private static CorruptFileException corrupt(Path file, String problem) {
        return new CorruptFileException(file + ": " + problem);
    }

    /** IEEE 754 binary16 → float32 (exact: every half is a float). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {                                   // inf, NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);           // ±0
            }
            float f = mant * 0x1p-24f;                       // subnormal: mant · 2^-24
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
