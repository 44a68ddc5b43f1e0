package dev.rtm.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decodes a Prometheus remote-write 1.0 {@code WriteRequest} (the protobuf, already un-snappied)
 * with protobuf's {@link CodedInputStream}; the messages and field numbers are the spec's
 * (prometheus/prompb types.proto and remote.proto):
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // epoch ms
 * </pre>
 * Metadata, exemplars and native histograms are skipped. A series must have a {@code __name__}.
 */
public final class RemoteWrite {

    private RemoteWrite() {
    }

    /** The samples of a {@code WriteRequest}. */
    public static List<IngestSample> decode(byte[] writeRequest) throws MalformedBodyException {
        List<IngestSample> out = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(writeRequest);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == field(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    timeSeries(in, out);
                    in.popLimit(limit);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedBodyException("not a remote-write WriteRequest: " + e.getMessage());
        } catch (IOException e) {
            throw new MalformedBodyException("not a remote-write WriteRequest: " + e.getMessage());
        }
        return out;
    }

    private static void timeSeries(CodedInputStream in, List<IngestSample> out) throws IOException, MalformedBodyException {
        SortedMap<String, String> labels = new TreeMap<>();
        List<double[]> samples = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == field(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                String name = "";
                String value = "";
                int t;
                while ((t = in.readTag()) != 0) {
                    if (t == field(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        name = in.readStringRequireUtf8();
                    } else if (t == field(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        value = in.readStringRequireUtf8();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                labels.put(name, value);
            } else if (tag == field(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                double value = 0;
                long ts = 0;
                int t;
                while ((t = in.readTag()) != 0) {
                    if (t == field(1, WireFormat.WIRETYPE_FIXED64)) {
                        value = in.readDouble();
                    } else if (t == field(2, WireFormat.WIRETYPE_VARINT)) {
                        ts = in.readInt64();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                samples.add(new double[] {value, ts});
                // the timestamp is carried exactly below; a double holds epoch ms exactly
            } else {
                in.skipField(tag);
            }
        }
        String name = labels.remove("__name__");
        if (name == null || name.isEmpty()) {
            throw new MalformedBodyException("a time series has no __name__ label");
        }
        for (double[] s : samples) {
            out.add(new IngestSample(name, labels, null, (long) s[1], s[0]));
        }
    }

    private static int field(int number, int wireType) {
        return (number << 3) | wireType;
    }
}
