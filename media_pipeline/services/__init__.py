"""Business actions on answer videos: the only code that changes their state, one concern a module.

    sources      attach_source: a new (or replacement) source, `uploaded`, processing queued
    queueing     queue_processing: the transcode task, by name, after commit
    claims       claim_video, fail_claimed, release_claim, give_up_on_storage, sweep_stuck_videos:
                 a worker's lease on a video, and recovery from dead workers
    processing   process_video: probe, transcode, store a new output version, `ready` or `failed`
    outputs      where outputs live in storage; orphan versions removed; uploads retried
    captions     set_caption, save_caption_cues, review_caption, delete_caption, edit_caption,
                 set_transcript: files, their cues in rows, reviewed or automatic drafts
    speech       queue_speech_draft, draft_speech, sweep_stuck_speech, set_video_language:
                 speech-to-text drafts on the `speech` queue, leased like a transcode
    staff_actions  retry_video, publish_video: what staff decide

Which state may follow which is `media_pipeline.workflow`'s table; the tus upload protocol is
`media_pipeline.uploads`.
"""
