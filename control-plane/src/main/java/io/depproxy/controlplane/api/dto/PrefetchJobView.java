package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.PrefetchJob;
import io.depproxy.controlplane.prefetch.ImageProgress;
import io.depproxy.controlplane.prefetch.PrefetchService.JobState;
import java.util.Arrays;
import java.util.List;

/** A prefetch job and its progress: images finished (done or failed) of all, bytes in the cache of all known. */
public record PrefetchJobView(
        @JsonProperty("id") long id,
        @JsonProperty("group_id") long groupId,
        @JsonProperty("status") String status,
        @JsonProperty("platforms") List<String> platforms,
        @JsonProperty("images_total") int imagesTotal,
        @JsonProperty("images_done") int imagesDone,
        @JsonProperty("bytes_total") long bytesTotal,
        @JsonProperty("bytes_done") long bytesDone,
        @JsonProperty("progress") double progress,
        @JsonProperty("images") List<ImageProgress> images,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("finished_at") String finishedAt) {

    public static PrefetchJobView of(JobState state) {
        PrefetchJob job = state.job();
        List<String> platforms = job.getPlatforms() == null ? List.of() : Arrays.asList(job.getPlatforms().split(","));
        double progress = job.finished() ? 1.0 : job.getBytesTotal() == 0 ? 0.0
                : Math.min(1.0, (double) job.getBytesDone() / job.getBytesTotal());
        return new PrefetchJobView(job.getId(), job.getGroupId(), state.status(), platforms, job.getImagesTotal(),
                job.getImagesDone(), job.getBytesTotal(), job.getBytesDone(), progress, state.images(),
                Times.iso(job.getCreatedAt()), Times.iso(job.getUpdatedAt()), Times.iso(job.getFinishedAt()));
    }
}
