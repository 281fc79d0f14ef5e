package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.dto.PrefetchJobView;
import io.depproxy.controlplane.prefetch.ImageProgress;
import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** What the prefetch pages show: the API's view of a job ({@link PrefetchJobView}) in words. */
final class PrefetchModels {
    private PrefetchModels() {
    }

    @TemplateData
    record JobRow(long id, String status, String platforms, int imagesDone, int imagesTotal, String bytesDone,
                  String bytesTotal, int percent, String created, String finished, boolean running, String page) {
        static JobRow of(PrefetchJobView job, String groupUrl) {
            return new JobRow(job.id(), job.status(), job.platforms().isEmpty() ? "all"
                    : String.join(", ", job.platforms()), job.imagesDone(), job.imagesTotal(),
                    Formats.bytes(job.bytesDone()), Formats.bytes(job.bytesTotal()), percent(job.progress()),
                    time(job.createdAt()), job.finishedAt() == null ? "–" : time(job.finishedAt()),
                    job.finishedAt() == null && !job.status().equals("interrupted"),
                    groupUrl + "/prefetch/" + job.id());
        }

        /** Whole percent, 100 only once the job finished. */
        static int percent(double progress) {
            return (int) Math.floor(progress * 100);
        }
    }

    @TemplateData
    record ImageRow(String reference, String status, String bytes, String error) {
        static ImageRow of(ImageProgress image) {
            return new ImageRow(image.reference(), image.status(), Formats.bytes(image.bytesDone()) + " of "
                    + Formats.bytes(image.bytesTotal()), image.error() == null ? "" : image.error());
        }
    }

    private static String time(String iso) {
        return iso == null ? "–" : Formats.time(Instant.parse(iso));
    }
}
